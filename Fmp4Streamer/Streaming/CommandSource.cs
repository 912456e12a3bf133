using System.Diagnostics;
using System.IO.Pipes;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.H264;
using Fmp4Streamer.Linux;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Streaming;

/// <summary>
/// A camera behind a child process that writes Annex-B H264 to stdout, such as
/// <c>rpicam-vid -t 0 --inline -n -o -</c> on Raspberry Pi OS Bookworm. The pipe is read on the event loop;
/// the child's stderr goes to the log; a child that exits is restarted with backoff.
/// </summary>
public sealed unsafe class CommandSource : IVideoSource, IPollable, ITimerCallback
{
    private const int ReadChunk = 256 * 1024;
    private const long MaxBackoffUs = 10_000_000;
    private const long StableRunUs = 10_000_000;

    private readonly EventLoop _loop;
    private readonly string _command;
    private readonly string _logName;
    private readonly AccessUnitSplitter _splitter = new();
    private readonly byte[] _readBuffer = new byte[ReadChunk];
    private readonly LoopTimer _restartTimer;
    private readonly LoopTimer _reapTimer;
    private readonly List<Process> _exiting = new();
    private Process? _process;
    private int _stdoutFd = -1;
    private IAccessUnitSink? _sink;
    private long _backoffUs = 1_000_000;
    private long _startedUs;

    public CommandSource(EventLoop loop, string name, string command, int fps)
    {
        _loop = loop;
        _command = command;
        _logName = name;
        FramesPerSecond = fps;
        Description = $"command `{command}`";
        _restartTimer = new LoopTimer(loop, this);
        _reapTimer = new LoopTimer(loop, this);
    }

    public string Description { get; }
    public int FramesPerSecond { get; }

    /// <summary>The running child's process id, or 0 (tests check that children are gone).</summary>
    public int ProcessId => _process?.Id ?? 0;

    public void Start(IAccessUnitSink sink)
    {
        _sink = sink;
        Spawn();
    }

    public void Stop()
    {
        _sink = null;
        _restartTimer.Stop();
        Terminate(waitForExit: false);
    }

    /// <summary>A child process decides its own key frames; joiners wait for its next IDR.</summary>
    public void RequestKeyFrame() { }

    /// <summary>At shutdown: stops the child and waits for it, so no process outlives the daemon.</summary>
    public void Dispose()
    {
        _sink = null;
        _restartTimer.Stop();
        _reapTimer.Stop();
        Terminate(waitForExit: true);
        foreach (var process in _exiting) process.WaitForExit(1000); // SIGTERM's grace, then SIGKILL
        Reap(force: true);
    }

    private void Spawn()
    {
        var startInfo = new ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add(_command);
        try
        {
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException("no process");
            process.StandardInput.Close();
            process.ErrorDataReceived += OnStderrLine;
            process.BeginErrorReadLine();
            _process = process;
        }
        catch (Exception e)
        {
            Log.Error(_logName, $"cannot start `{_command}`: {e.Message}");
            ScheduleRestart();
            return;
        }

        // The pipe is read on the loop, not through the StreamReader: set O_NONBLOCK and poll its fd.
        var pipe = (PipeStream)_process.StandardOutput.BaseStream;
        _stdoutFd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        int flags = fcntl(_stdoutFd, F_GETFL);
        fcntl(_stdoutFd, F_SETFL, flags | O_NONBLOCK);
        _loop.Add(_stdoutFd, EPOLLIN, this);
        _startedUs = MonotonicClock.NowUs;
        Log.Info(_logName, $"started `{_command}` (pid {_process.Id})");
    }

    public void OnPoll(int events)
    {
        while (_stdoutFd >= 0)
        {
            ssize_t n;
            fixed (byte* p = _readBuffer) n = read(_stdoutFd, p, ReadChunk);
            if (n > 0)
            {
                _splitter.Append(_readBuffer.AsSpan(0, (int)n));
                while (_splitter.TryTakeAccessUnit(out var accessUnit))
                    _sink?.OnAccessUnit(accessUnit, MonotonicClock.NowUs);
                continue;
            }
            if (n < 0 && (LinuxError.Last == EAGAIN || LinuxError.Last == EINTR)) return;
            OnChildEnded();
            return;
        }
    }

    private void OnChildEnded()
    {
        var last = _splitter.Flush();
        if (!last.IsEmpty) _sink?.OnAccessUnit(last, MonotonicClock.NowUs);
        string status = "closed its output";
        if (_process is { HasExited: true } p) status = $"exited with status {p.ExitCode}";
        Log.Warning(_logName, $"`{_command}` {status}");
        Terminate(waitForExit: false);
        _sink?.OnSourceInterrupted($"the command {status}");
        if (MonotonicClock.NowUs - _startedUs > StableRunUs) _backoffUs = 1_000_000;
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
        if (timer == _reapTimer)
        {
            // A second after SIGTERM: whatever still runs gets SIGKILL (a blocking wait of at most a moment).
            Reap(force: true);
            return;
        }
        if (_sink is not null && _process is null) Spawn();
    }

    /// <summary>
    /// Unhooks the child's output and sends SIGTERM so a camera program can release the camera. On the loop
    /// (sleeping) it does not wait: <see cref="Reap"/> sends SIGKILL a second later to whatever is still running.
    /// </summary>
    private void Terminate(bool waitForExit)
    {
        if (_stdoutFd >= 0)
        {
            _loop.Remove(_stdoutFd);
            _stdoutFd = -1;
        }
        var process = _process;
        _process = null;
        _splitter.Flush();
        if (process is null) return;
        try
        {
            if (!process.HasExited) kill(process.Id, SIGTERM);
        }
        catch (InvalidOperationException) { }
        _exiting.Add(process);
        if (!waitForExit && !_reapTimer.IsActive) _reapTimer.Start(1_000_000);
    }

    private void Reap(bool force)
    {
        for (int i = _exiting.Count - 1; i >= 0; i--)
        {
            var process = _exiting[i];
            try
            {
                if (!process.HasExited)
                {
                    if (!force) continue;
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(2000);
                }
            }
            catch (InvalidOperationException) { }
            process.Dispose();
            _exiting.RemoveAt(i);
        }
    }

    private void OnStderrLine(object sender, DataReceivedEventArgs e)
    {
        if (!string.IsNullOrEmpty(e.Data)) Log.Info(_logName, "child: " + e.Data);
    }
}
