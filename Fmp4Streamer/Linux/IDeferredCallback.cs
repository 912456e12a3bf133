namespace Fmp4Streamer.Linux;

/// <summary>Receives a <see cref="Deferral"/> on the loop thread once the dispatch that scheduled it has returned.</summary>
public interface IDeferredCallback
{
    void OnDeferred(Deferral deferral);
}
