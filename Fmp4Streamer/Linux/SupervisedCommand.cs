using System.Text;
using Fmp4Streamer.Diagnostics;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>
/// A shell command kept running for a source: started in its own process group so that stopping it stops the program
/// and not just its shell; its standard output read on the event loop into the owner's buffer; its standard error
/// logged line by line; restarted with doubling back-off when it exits (back to the shortest after a run that lasted);
/// a new copy started only once the old one is gone, because the old one may still hold a camera or a microphone.
/// </summary>
public sealed unsafe class SupervisedCommand : IPollable, ITimerCallback, IChildReaperObserver, ILineSink
{
    public const long FirstBackoffUs = 1_000_000;
    public const long MaxBackoffUs = 10_000_000;

    /// <summary>A copy that ran this long was working: the next restart is quick again.</summary>
    public const long StableRunUs = 10_000_000;

    /// <summary>SIGTERM's grace before SIGKILL: long enough for a camera program to release the camera.</summary>
    public const long StopGraceUs = 2_000_000;

    private readonly EventLoop _loop;
    private readonly string _command;
    private readonly string _logName;
    private readonly string _kind;
    private readonly ICommandOutput _output;
    private readonly LoopTimer _restartTimer;
    private readonly ChildReaper _reaper;
    private readonly LineReader _stderr;
    private ChildProcess? _child;
    private bool _wanted;
    private bool _spawnWhenGone;
    private long _backoffUs = FirstBackoffUs;
    private long _startedUs;

    /// <param name="kind">What the command is, for the log ("" or "audio ").</param>
    public SupervisedCommand(EventLoop loop, string logName, string command, string kind, ICommandOutput output)
    {
        _loop = loop;
        _logName = logName;
        _command = command;
        _kind = kind;
        _output = output;
        _restartTimer = new LoopTimer(loop, this);
        _reaper = new ChildReaper(loop, StopGraceUs, this);
        _stderr = new LineReader(loop, this);
    }

    /// <summary>The running child's process (group) id, or 0.</summary>
    public int ProcessId => _child?.Pid ?? 0;

    /// <summary>Children signalled to stop and not yet gone.</summary>
    public int StoppingCount => _reaper.Count;

    /// <summary>The wait before the next restart.</summary>
    public long BackoffUs => _backoffUs;

    public void Start()
    {
        _wanted = true;
        if (_child is null && !_restartTimer.IsActive) SpawnWhenPreviousGone();
    }

    public void Stop()
    {
        _wanted = false;
        _spawnWhenGone = false;
        _restartTimer.Stop();
        StopChild();
    }

    /// <summary>At shutdown: stops every child and waits for it, so no process outlives the daemon.</summary>
    public void Dispose()
    {
        Stop();
        foreach (var survivor in _reaper.StopAllAndWait())
            Log.Error(_logName, $"{_kind}process group {survivor.Pid} survived SIGKILL");
    }

    private void SpawnWhenPreviousGone()
    {
        if (_child is not null) return;
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
            Log.Error(_logName, $"cannot start {_kind}`{_command}`: {e.Message}");
            ScheduleRestart();
            return;
        }
        _output.OnStarted();
        _loop.Add(_child.StdoutFd, EPOLLIN, this);
        _stderr.Attach(_child.StderrFd);
        _startedUs = _loop.NowUs;
        Log.Info(_logName, $"started {_kind}`{_command}` (process group {_child.Pid})");
    }

    public void OnPoll(int events)
    {
        while (_child is not null)
        {
            var space = _output.ReadSpace;
            ssize_t n;
            fixed (byte* p = space) n = read(_child.StdoutFd, p, space.Length);
            if (n > 0)
            {
                _output.OnRead((int)n);
                continue;
            }
            if (n < 0 && (LinuxError.Last == EAGAIN || LinuxError.Last == EINTR)) return;
            OnOutputClosed();
            return;
        }
    }

    private void OnOutputClosed()
    {
        Log.Warning(_logName, $"{_kind}`{_command}` closed its output");
        StopChild();
        if (_loop.NowUs - _startedUs > StableRunUs) _backoffUs = FirstBackoffUs;
        _output.OnClosed();
        ScheduleRestart();
    }

    private void ScheduleRestart()
    {
        if (!_wanted || _restartTimer.IsActive) return;
        Log.Info(_logName, $"restarting {_kind}in {_backoffUs / 1_000_000.0:0.#} s");
        _restartTimer.Start(_backoffUs);
        _backoffUs = Math.Min(_backoffUs * 2, MaxBackoffUs);
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (_wanted) SpawnWhenPreviousGone();
    }

    void IChildReaperObserver.OnChildGone(ChildProcess child)
    {
        Log.Info(_logName, $"{_kind}`{_command}` (process group {child.Pid}) {child.ExitDescription}");
        child.Dispose();
        if (_spawnWhenGone && _wanted && _reaper.Count == 0) Spawn();
    }

    void ILineSink.OnLine(ReadOnlySpan<byte> line) => Log.Info(_logName, $"{_kind}child: " + Encoding.UTF8.GetString(line));

    /// <summary>Unhooks the child's pipes from the loop and hands it to the reaper, which signals its whole group.</summary>
    private void StopChild()
    {
        var child = _child;
        if (child is null) return;
        _child = null;
        _loop.Remove(child.StdoutFd);
        _stderr.Detach();
        _reaper.Stop(child);
    }
}
