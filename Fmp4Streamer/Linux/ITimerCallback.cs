namespace Fmp4Streamer.Linux;

/// <summary>Receives the expiry of a <see cref="LoopTimer"/> on the loop thread.</summary>
public interface ITimerCallback
{
    void OnTimer(LoopTimer timer);
}
