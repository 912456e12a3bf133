using Fmp4Streamer.H264;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// A camera behind a child process that writes Annex-B H264 to stdout, such as
/// <c>rpicam-vid -t 0 --inline -n -o -</c> on Raspberry Pi OS Bookworm. <see cref="SupervisedCommand"/> keeps the
/// program running (own process group, restarts with back-off, one copy at a time); this class cuts its output into
/// access units and stamps them on a smoothed clock.
/// </summary>
public sealed class CommandSource : IVideoSource, ICommandOutput
{
    private const int ReadChunk = 256 * 1024;

    /// <summary>SIGTERM's grace before SIGKILL: long enough for a camera program to release the camera.</summary>
    public const long StopGraceUs = SupervisedCommand.StopGraceUs;

    private readonly EventLoop _loop;
    private readonly SupervisedCommand _command;
    private readonly AccessUnitSplitter _splitter = new();
    private readonly ParameterSets _parameterSets = new();
    private readonly FrameClock _clock;
    private readonly byte[] _readBuffer = new byte[ReadChunk];
    private IAccessUnitSink? _sink;

    public CommandSource(EventLoop loop, string name, string command, int fps)
    {
        _loop = loop;
        FramesPerSecond = fps;
        Description = $"command `{command}`";
        _clock = new FrameClock(fps);
        _command = new SupervisedCommand(loop, name, command, "", this);
    }

    public string Description { get; }
    public int FramesPerSecond { get; }

    /// <summary>The running child's process (group) id, or 0 (tests check that children are gone).</summary>
    public int ProcessId => _command.ProcessId;

    /// <summary>Children signalled to stop and not yet gone.</summary>
    public int StoppingCount => _command.StoppingCount;

    public void Start(IAccessUnitSink sink)
    {
        _sink = sink;
        _command.Start();
    }

    public void Stop()
    {
        _sink = null;
        _command.Stop();
        _splitter.Flush();
    }

    /// <summary>A child process decides its own key frames; joiners wait for its next IDR.</summary>
    public void RequestKeyFrame() { }

    /// <summary>At shutdown: stops every child and waits for it, so no process outlives the daemon.</summary>
    public void Dispose() => _command.Dispose();

    Span<byte> ICommandOutput.ReadSpace => _readBuffer;

    void ICommandOutput.OnRead(int count)
    {
        _splitter.Append(_readBuffer.AsSpan(0, count));
        while (_splitter.TryTakeAccessUnit(out var accessUnit)) Deliver(accessUnit);
    }

    void ICommandOutput.OnStarted()
    {
        _splitter.Flush();
        _clock.Reset();
    }

    void ICommandOutput.OnClosed()
    {
        var last = _splitter.Flush();
        if (!last.IsEmpty) Deliver(last);
        _sink?.OnSourceInterrupted("the command closed its output");
    }

    private void Deliver(ReadOnlySpan<byte> accessUnit)
    {
        // The stream's own frame rate, when its SPS carries VUI timing, is the clock's nominal period. Parsed only
        // when the SPS changes: cameras repeat it before every IDR.
        if (_parameterSets.Update(accessUnit) && Sps.TryParse(_parameterSets.Sps, out var sps) && sps.FrameRate is double fps)
            _clock.SetNominalRate(fps);
        _sink?.OnAccessUnit(accessUnit, _clock.Next(_loop.NowUs));
    }
}
