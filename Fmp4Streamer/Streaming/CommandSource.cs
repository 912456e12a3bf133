using System.Text;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.H264;
using Fmp4Streamer.Linux;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// A camera behind a child process that writes Annex-B H264 to stdout, such as
/// <c>rpicam-vid -t 0 --inline -n -o -</c> on Raspberry Pi OS Bookworm. The command runs in its own process group
/// so that sleeping, a restart and shutdown stop the program and not just its shell; a new copy starts only once
/// the old one is gone (it may hold the camera). The pipe and the child's stderr are read on the event loop; frames
/// are stamped on a smoothed clock; a child that exits is restarted with backoff.
/// </summary>
public sealed unsafe class CommandSource : IVideoSource, IPollable, ITimerCallback, IChildReaperObserver, ILineSink
{
    private const int ReadChunk = 256 * 1024;
    private const long MaxBackoffUs = 10_000_000;
    private const long StableRunUs = 10_000_000;

    /// <summary>SIGTERM's grace before SIGKILL: long enough for a camera program to release the camera.</summary>
    public const long StopGraceUs = 2_000_000;

    private readonly EventLoop _loop;
    private readonly string _command;
    private readonly string _logName;
    private readonly AccessUnitSplitter _splitter = new();
    private readonly ParameterSets _parameterSets = new();
    private readonly FrameClock _clock;
    private readonly byte[] _readBuffer = new byte[ReadChunk];
    private readonly LoopTimer _restartTimer;
    private readonly ChildReaper _reaper;
    private readonly LineReader _stderr;
    private ChildProcess? _child;
    private IAccessUnitSink? _sink;
    private bool _spawnWhenGone;
    private long _backoffUs = 1_000_000;
    private long _startedUs;

    public CommandSource(EventLoop loop, string name, string command, int fps)
    {
        _loop = loop;
        _command = command;
        _logName = name;
        FramesPerSecond = fps;
        Description = $"command `{command}`";
        _clock = new FrameClock(fps);
        _restartTimer = new LoopTimer(loop, this);
        _reaper = new ChildReaper(loop, StopGraceUs, this);
        _stderr = new LineReader(loop, this);
    }

    public string Description { get; }
    public int FramesPerSecond { get; }

    /// <summary>The running child's process (group) id, or 0 (tests check that children are gone).</summary>
    public int ProcessId => _child?.Pid ?? 0;

    /// <summary>Children signalled to stop and not yet gone.</summary>
    public int StoppingCount => _reaper.Count;

    public void Start(IAccessUnitSink sink)
    {
        _sink = sink;
        SpawnWhenPreviousGone();
    }

    public void Stop()
    {
        _sink = null;
        _spawnWhenGone = false;
        _restartTimer.Stop();
        StopChild();
    }

    /// <summary>A child process decides its own key frames; joiners wait for its next IDR.</summary>
    public void RequestKeyFrame() { }

    /// <summary>At shutdown: stops every child and waits for it, so no process outlives the daemon.</summary>
    public void Dispose()
    {
        Stop();
        foreach (var survivor in _reaper.StopAllAndWait())
            Log.Error(_logName, $"process group {survivor.Pid} survived SIGKILL");
    }

    private void SpawnWhenPreviousGone()
    {
        if (_child is not null) return;
        // The old program may still hold the camera (or a lock): a second copy would find it busy.
        if (_reaper.Count > 0) _spawnWhenGone = true;
        else Spawn();
    }

    private void Spawn()
    {
        _spawnWhenGone = false;
        try
        {
            _child = ChildProcess.StartShell(_command);
        }
        catch (LinuxException e)
        {
            Log.Error(_logName, $"cannot start `{_command}`: {e.Message}");
            ScheduleRestart();
            return;
        }
        _splitter.Flush();
        _clock.Reset();
        _loop.Add(_child.StdoutFd, EPOLLIN, this);
        _stderr.Attach(_child.StderrFd);
        _startedUs = _loop.NowUs;
        Log.Info(_logName, $"started `{_command}` (process group {_child.Pid})");
    }

    public void OnPoll(int events)
    {
        while (_child is not null)
        {
            ssize_t n;
            fixed (byte* p = _readBuffer) n = read(_child.StdoutFd, p, ReadChunk);
            if (n > 0)
            {
                _splitter.Append(_readBuffer.AsSpan(0, (int)n));
                while (_splitter.TryTakeAccessUnit(out var accessUnit)) Deliver(accessUnit);
                continue;
            }
            if (n < 0 && (LinuxError.Last == EAGAIN || LinuxError.Last == EINTR)) return;
            OnOutputClosed();
            return;
        }
    }

    private void Deliver(ReadOnlySpan<byte> accessUnit)
    {
        // The stream's own frame rate, when its SPS carries VUI timing, is the clock's nominal period. Parsed only
        // when the SPS changes: cameras repeat it before every IDR.
        if (_parameterSets.Update(accessUnit) && Sps.TryParse(_parameterSets.Sps, out var sps) && sps.FrameRate is double fps)
            _clock.SetNominalRate(fps);
        _sink?.OnAccessUnit(accessUnit, _clock.Next(_loop.NowUs));
    }

    private void OnOutputClosed()
    {
        var last = _splitter.Flush();
        if (!last.IsEmpty) Deliver(last);
        Log.Warning(_logName, $"`{_command}` closed its output");
        StopChild();
        _sink?.OnSourceInterrupted("the command closed its output");
        if (_loop.NowUs - _startedUs > StableRunUs) _backoffUs = 1_000_000;
        ScheduleRestart();
    }

    private void ScheduleRestart()
    {
        if (_sink is null) return;
        Log.Info(_logName, $"restarting in {_backoffUs / 1_000_000.0:0.#} s");
        _restartTimer.Start(_backoffUs);
        _backoffUs = Math.Min(_backoffUs * 2, MaxBackoffUs);
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (_sink is not null) SpawnWhenPreviousGone();
    }

    void IChildReaperObserver.OnChildGone(ChildProcess child)
    {
        Log.Info(_logName, $"`{_command}` (process group {child.Pid}) {child.ExitDescription}");
        child.Dispose();
        if (_spawnWhenGone && _sink is not null && _reaper.Count == 0) Spawn();
    }

    void ILineSink.OnLine(ReadOnlySpan<byte> line) => Log.Info(_logName, "child: " + Encoding.UTF8.GetString(line));

    /// <summary>Unhooks the child's pipes from the loop and hands it to the reaper, which signals its whole group.</summary>
    private void StopChild()
    {
        var child = _child;
        if (child is null) return;
        _child = null;
        _loop.Remove(child.StdoutFd);
        _stderr.Detach();
        _splitter.Flush();
        _reaper.Stop(child);
    }
}
