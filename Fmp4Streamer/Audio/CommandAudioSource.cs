using System.Runtime.InteropServices;
using System.Text;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Audio;

/// <summary>
/// <c>audio_command</c>: raw signed 16-bit little-endian PCM from a shell command's standard output (for example
/// <c>arecord -D plughw:1 -f S16_LE -r 48000 -c 1 -t raw</c>), at the configured rate and channel count. The
/// command runs in its own process group like a video command: stopped with the stream, restarted with back-off
/// when it exits. A pipe says nothing about when a sample was captured: each read is stamped with the read time
/// minus its own length, and the stream's audio clock smooths that.
/// </summary>
public sealed unsafe class CommandAudioSource : IAudioSource, IPollable, ITimerCallback, IChildReaperObserver, ILineSink
{
    private const long MaxBackoffUs = 10_000_000;
    private const long StopGraceUs = 2_000_000;

    private readonly EventLoop _loop;
    private readonly string _command;
    private readonly string _logName;
    private readonly byte[] _bytes;
    private readonly short[] _samples;
    private readonly LoopTimer _restartTimer;
    private readonly ChildReaper _reaper;
    private readonly LineReader _stderr;
    private ChildProcess? _child;
    private IPcmSink? _sink;
    private int _carry;
    private long _backoffUs = 1_000_000;

    public CommandAudioSource(EventLoop loop, string name, string command, int sampleRate, int channels)
    {
        _loop = loop;
        _command = command;
        _logName = name;
        SampleRate = sampleRate;
        Channels = channels;
        // About 100 ms per read at most: enough to drain a burst, small enough to stamp well.
        _bytes = new byte[sampleRate / 10 * channels * 2];
        _samples = new short[_bytes.Length / 2];
        // The pipe's S16_LE bytes are taken as samples as they are: true on every host the binary is built for.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        _restartTimer = new LoopTimer(loop, this);
        _reaper = new ChildReaper(loop, StopGraceUs, this);
        _stderr = new LineReader(loop, this);
        Description = $"audio command `{command}` ({sampleRate} Hz, {channels} ch)";
    }

    public string Description { get; }
    public int SampleRate { get; }
    public int Channels { get; }
    public int ProcessId => _child?.Pid ?? 0;

    public void Start(IPcmSink sink)
    {
        _sink = sink;
        if (_child is null && _reaper.Count == 0) Spawn();
        else if (_child is null) _restartTimer.Start(100_000);
    }

    public void Stop()
    {
        _sink = null;
        _restartTimer.Stop();
        StopChild();
    }

    public void Dispose()
    {
        Stop();
        foreach (var survivor in _reaper.StopAllAndWait())
            Log.Error(_logName, $"audio process group {survivor.Pid} survived SIGKILL");
    }

    private void Spawn()
    {
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
        _carry = 0;
        _loop.Add(_child.StdoutFd, EPOLLIN, this);
        _stderr.Attach(_child.StderrFd);
        Log.Info(_logName, $"started audio `{_command}` (process group {_child.Pid})");
    }

    public void OnPoll(int events)
    {
        int frameBytes = 2 * Channels;
        while (_child is not null)
        {
            ssize_t n;
            fixed (byte* p = _bytes) n = read(_child.StdoutFd, p + _carry, _bytes.Length - _carry);
            if (n > 0)
            {
                int total = _carry + (int)n;
                int whole = total / frameBytes * frameBytes;
                if (whole > 0)
                {
                    // Little-endian bytes to samples: one copy, no allocation.
                    MemoryMarshal.Cast<byte, short>(_bytes.AsSpan(0, whole)).CopyTo(_samples);
                    int frames = whole / frameBytes;
                    _sink?.OnPcm(_samples.AsSpan(0, frames * Channels), _loop.NowUs - (long)frames * 1_000_000 / SampleRate);
                }
                _carry = total - whole;
                if (_carry > 0) _bytes.AsSpan(whole, _carry).CopyTo(_bytes);
                continue;
            }
            if (n < 0 && (LinuxError.Last == EAGAIN || LinuxError.Last == EINTR)) return;
            Log.Warning(_logName, $"audio `{_command}` closed its output");
            StopChild();
            _sink?.OnPcmDiscontinuity("the audio command closed its output");
            ScheduleRestart();
            return;
        }
    }

    private void ScheduleRestart()
    {
        if (_sink is null) return;
        _restartTimer.Start(_backoffUs);
        _backoffUs = Math.Min(_backoffUs * 2, MaxBackoffUs);
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (_sink is null || _child is not null) return;
        if (_reaper.Count > 0) _restartTimer.Start(100_000);
        else Spawn();
    }

    void IChildReaperObserver.OnChildGone(ChildProcess child)
    {
        Log.Info(_logName, $"audio `{_command}` (process group {child.Pid}) {child.ExitDescription}");
        child.Dispose();
    }

    void ILineSink.OnLine(ReadOnlySpan<byte> line) => Log.Info(_logName, "audio child: " + Encoding.UTF8.GetString(line));

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
