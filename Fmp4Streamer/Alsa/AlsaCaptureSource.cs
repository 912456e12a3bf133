using Fmp4Streamer.Audio;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.asound;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// Captures signed 16-bit PCM from an ALSA device through the kernel's PCM interface (no libasound): hardware
/// parameters refined and set, software parameters for period wake-ups with monotonic timestamps, then
/// SNDRV_PCM_IOCTL_READI_FRAMES whenever the loop says the device is readable. Each read is timestamped from the
/// status the kernel keeps (the time of the last period boundary and the frames available since), so the capture
/// time does not depend on when the loop got round to reading.
/// </summary>
/// <remarks>
/// An overrun (EPIPE: nobody read for a whole buffer) is counted, the device prepared and started again, and the
/// sink told that samples were lost. A device that disappears (unplugged, driver removed: ENODEV and friends) or
/// cannot be opened yet is retried on a timer with back-off, as cameras are; the stream keeps its picture.
/// </remarks>
public sealed unsafe class AlsaCaptureSource : IAudioSource, IPollable, ITimerCallback
{
    /// <summary>Frames per period asked for: 1024 is one AAC frame, about 21 ms at 48 kHz.</summary>
    public const uint PreferredPeriodFrames = 1024;

    /// <summary>The longest buffer asked for: the loop may stall this long before an overrun.</summary>
    public const int MaxBufferSeconds = 2;

    public static readonly TimeSpan RetryInitial = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(8);

    // Protocol 2.0.14: the kernel takes tstamp_type from the software parameters from 2.0.12 on.
    private const uint ProtocolVersion = 2 << 16 | 0 << 8 | 14;

    private readonly EventLoop _loop;
    private readonly ILinuxIo _io;
    private readonly AlsaDeviceName _name;
    private readonly string _cardsFile;
    private readonly LoopTimer _retryTimer;
    private short[] _buffer = Array.Empty<short>();
    private IPcmSink? _sink;
    private int _fd = -1;
    private string? _path;
    private long _retryDelayUs;
    private string? _lastFailure;

    public AlsaCaptureSource(EventLoop loop, ILinuxIo io, AlsaDeviceName name, int sampleRate, int channels,
        string cardsFile = "/proc/asound/cards")
    {
        _loop = loop;
        _io = io;
        _name = name;
        _cardsFile = cardsFile;
        SampleRate = sampleRate;
        Channels = channels;
        _retryTimer = new LoopTimer(loop, this);
        _retryDelayUs = (long)RetryInitial.TotalMicroseconds;
        Description = $"ALSA {name} {sampleRate} Hz {channels} ch";
    }

    public string Description { get; }
    public int SampleRate { get; }
    public int Channels { get; }

    /// <summary>Frames per period and per buffer the device accepted (0 before the first open).</summary>
    public int PeriodFrames { get; private set; }
    public int BufferFrames { get; private set; }

    /// <summary>The section's mixer keys and the values changed since, written to the card each time the device opens; null without.</summary>
    public MixerSettings? Mixer { get; set; }

    /// <summary>The card's control node; null while a card named by its id is not plugged in.</summary>
    public string? ControlPath => _name.Resolve(_cardsFile) is { } pcm ? MixerDevice.ControlPathOf(pcm) : null;

    /// <summary>A mixer value changed while running (settings over HTTP), written again at every later open.</summary>
    public void RememberMixer(MixerSetting setting)
    {
        Mixer ??= new MixerSettings(_io, _name, Array.Empty<MixerSetting>(), _cardsFile);
        Mixer.Remember(setting);
    }

    public long Overruns { get; private set; }
    public long Opens { get; private set; }
    public long FramesCaptured { get; private set; }
    public bool IsOpen => _fd >= 0;
    public bool IsWaitingForDevice => _retryTimer.IsActive;

    public void Start(IPcmSink sink)
    {
        _sink = sink;
        _retryDelayUs = (long)RetryInitial.TotalMicroseconds;
        TryOpen();
    }

    public void Stop()
    {
        _sink = null;
        _retryTimer.Stop();
        Close();
    }

    void ITimerCallback.OnTimer(LoopTimer timer)
    {
        if (_sink is not null && _fd < 0) TryOpen();
    }

    void IPollable.OnPoll(int events)
    {
        if (_fd < 0) return;
        ReadAvailable();
    }

    private void TryOpen()
    {
        _path = _name.Resolve(_cardsFile);
        if (_path is null)
        {
            Retry($"card '{_name.CardId}' is not in {_cardsFile}");
            return;
        }
        int err = OpenPcm(out int fd, out string? failure);
        if (err != 0)
        {
            Retry(failure ?? $"cannot open {_path}: {LinuxError.Name(err)}");
            return;
        }
        _fd = fd;
        failure = Configure();
        if (failure is not null)
        {
            Close();
            Retry(failure);
            return;
        }
        Opens++;
        _lastFailure = null;
        _retryDelayUs = (long)RetryInitial.TotalMicroseconds;
        _loop.Add(_fd, LibC.EPOLLIN, this);
        Mixer?.ApplyToCardOf(_path);
        Log.Info(Component, $"capturing from {_path}: {SampleRate} Hz, {Channels} ch, periods of {PeriodFrames} frames, buffer {BufferFrames}");
    }

    /// <summary>
    /// Opens the capture node; with a subdevice named, through the card's control node as libasound does: the kernel
    /// gives a PCM opened by the thread that set a control file's preferred subdevice that substream or EAGAIN.
    /// </summary>
    private int OpenPcm(out int fd, out string? failure)
    {
        int flags = LibC.O_RDONLY | LibC.O_NONBLOCK | LibC.O_CLOEXEC;
        failure = null;
        if (_name.Subdevice is not int subdevice) return _io.Open(_path!, flags, out fd);
        fd = -1;
        string? control = _name.ResolveControl(_cardsFile);
        if (control is null) return LibC.ENOENT;
        int err = _io.Open(control, LibC.O_RDONLY | LibC.O_CLOEXEC, out int ctl);
        if (err != 0)
        {
            failure = $"cannot open {control}: {LinuxError.Name(err)}";
            return err;
        }
        err = _io.Ioctl(ctl, SNDRV_CTL_IOCTL_PCM_PREFER_SUBDEVICE, &subdevice);
        if (err != 0) failure = $"{control}: SNDRV_CTL_IOCTL_PCM_PREFER_SUBDEVICE: {LinuxError.Name(err)}";
        else
        {
            err = _io.Open(_path!, flags, out fd);
            if (err == LibC.EAGAIN) failure = $"subdevice {subdevice} of {_path} is in use";
        }
        _io.Close(ctl);
        return err;
    }

    private string Component => "ALSA " + _name;

    /// <summary>Hardware and software parameters, PREPARE and START; a message when the device refuses.</summary>
    private string? Configure()
    {
        int type = SNDRV_PCM_TSTAMP_TYPE_MONOTONIC;
        int err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_TTSTAMP, &type);
        if (err != 0) return $"{_path}: SNDRV_PCM_IOCTL_TTSTAMP: {LinuxError.Name(err)}";

        snd_pcm_hw_params hw = default;
        HwParams.Any(ref hw);
        HwParams.SetMask(ref hw, SNDRV_PCM_HW_PARAM_ACCESS, SNDRV_PCM_ACCESS_RW_INTERLEAVED);
        HwParams.SetMask(ref hw, SNDRV_PCM_HW_PARAM_FORMAT, SNDRV_PCM_FORMAT_S16_LE);
        HwParams.SetMask(ref hw, SNDRV_PCM_HW_PARAM_SUBFORMAT, SNDRV_PCM_SUBFORMAT_STD);
        var any = hw;
        HwParams.SetInterval(ref hw, SNDRV_PCM_HW_PARAM_CHANNELS, (uint)Channels, (uint)Channels);
        HwParams.SetInterval(ref hw, SNDRV_PCM_HW_PARAM_RATE, (uint)SampleRate, (uint)SampleRate);
        err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_HW_REFINE, &hw);
        if (err != 0) return Unsupported(any, err);

        // A period of one AAC frame if the device has it, else anything from 5 ms to 100 ms.
        var withPeriod = hw;
        HwParams.SetInterval(ref withPeriod, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, PreferredPeriodFrames, PreferredPeriodFrames);
        if (_io.Ioctl(_fd, SNDRV_PCM_IOCTL_HW_REFINE, &withPeriod) == 0) hw = withPeriod;
        else HwParams.SetInterval(ref hw, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, (uint)(SampleRate / 200), (uint)(SampleRate / 10));
        // The largest buffer of at least 4 periods, up to MaxBufferSeconds: a period still wakes the loop, so capture is
        // no later for it; the buffer only bounds how long the loop may be busy elsewhere before samples are lost.
        var withPeriods = hw;
        HwParams.SetInterval(ref withPeriods, SNDRV_PCM_HW_PARAM_PERIODS, 4, 1024);
        HwParams.SetInterval(ref withPeriods, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, 0, (uint)(SampleRate * MaxBufferSeconds));
        if (_io.Ioctl(_fd, SNDRV_PCM_IOCTL_HW_REFINE, &withPeriods) == 0)
        {
            hw = withPeriods;
            uint largest = HwParams.Interval(withPeriods, SNDRV_PCM_HW_PARAM_BUFFER_SIZE).Max;
            var withBuffer = withPeriods;
            HwParams.SetInterval(ref withBuffer, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, largest, largest);
            if (_io.Ioctl(_fd, SNDRV_PCM_IOCTL_HW_REFINE, &withBuffer) == 0) hw = withBuffer;
        }
        err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_HW_PARAMS, &hw);
        if (err != 0) return $"{_path}: SNDRV_PCM_IOCTL_HW_PARAMS: {LinuxError.Name(err)}";
        PeriodFrames = (int)HwParams.Interval(hw, SNDRV_PCM_HW_PARAM_PERIOD_SIZE).Min;
        BufferFrames = (int)HwParams.Interval(hw, SNDRV_PCM_HW_PARAM_BUFFER_SIZE).Min;
        if (PeriodFrames <= 0 || BufferFrames < PeriodFrames) return $"{_path}: the driver chose no usable period ({PeriodFrames}/{BufferFrames})";

        snd_pcm_sw_params sw = default;
        sw.tstamp_mode = SNDRV_PCM_TSTAMP_ENABLE;
        sw.tstamp_type = SNDRV_PCM_TSTAMP_TYPE_MONOTONIC;
        sw.proto = ProtocolVersion;
        sw.period_step = 1;
        sw.avail_min = (ulong)PeriodFrames;
        sw.start_threshold = (ulong)BufferFrames; // started explicitly below
        sw.stop_threshold = (ulong)BufferFrames; // a full buffer is an overrun
        err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_SW_PARAMS, &sw);
        if (err != 0) return $"{_path}: SNDRV_PCM_IOCTL_SW_PARAMS: {LinuxError.Name(err)}";
        if (_buffer.Length < BufferFrames * Channels) _buffer = new short[BufferFrames * Channels];
        return PrepareAndStart();
    }

    private string? PrepareAndStart()
    {
        int err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_PREPARE, null);
        if (err != 0) return $"{_path}: SNDRV_PCM_IOCTL_PREPARE: {LinuxError.Name(err)}";
        err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_START, null);
        if (err != 0) return $"{_path}: SNDRV_PCM_IOCTL_START: {LinuxError.Name(err)}";
        return null;
    }

    /// <summary>What the device offers when the configured rate or channel count is refused.</summary>
    private string Unsupported(snd_pcm_hw_params any, int err)
    {
        if (_io.Ioctl(_fd, SNDRV_PCM_IOCTL_HW_REFINE, &any) != 0)
            return $"{_path}: does not capture interleaved S16_LE ({LinuxError.Name(err)})";
        var (rateMin, rateMax) = HwParams.Interval(any, SNDRV_PCM_HW_PARAM_RATE);
        var (chMin, chMax) = HwParams.Interval(any, SNDRV_PCM_HW_PARAM_CHANNELS);
        return $"{_path}: cannot capture {SampleRate} Hz with {Channels} channel(s); the device offers {rateMin}..{rateMax} Hz, " +
            $"{chMin}..{chMax} channels";
    }

    private void ReadAvailable()
    {
        // Bounded: a device that always has data must not keep the loop from everything else.
        for (int round = 0; round < 8 && _fd >= 0 && _sink is not null; round++)
        {
            snd_xferi x = default;
            int err;
            fixed (short* p = _buffer)
            {
                x.buf = (ulong)p;
                x.frames = (ulong)(_buffer.Length / Channels);
                err = _io.Ioctl(_fd, SNDRV_PCM_IOCTL_READI_FRAMES, &x);
            }
            if (err == LibC.EAGAIN) return;
            if (err == LibC.EPIPE)
            {
                OnOverrun();
                continue;
            }
            if (err != 0)
            {
                Lost($"read: {LinuxError.Name(err)}");
                return;
            }
            int frames = (int)x.result;
            if (frames <= 0) return;
            FramesCaptured += frames;
            _sink.OnPcm(_buffer.AsSpan(0, frames * Channels), FirstSampleUs(frames));
        }
    }

    /// <summary>
    /// When the first of the <paramref name="frames"/> just read was captured: the status's tstamp is the time of
    /// its hw_ptr, and avail frames beyond the ones read lie between them.
    /// </summary>
    private long FirstSampleUs(int frames)
    {
        snd_pcm_status status = default;
        long nowUs = _loop.NowUs;
        if (_io.Ioctl(_fd, SNDRV_PCM_IOCTL_STATUS, &status) != 0 || (status.tstamp.tv_sec == 0 && status.tstamp.tv_nsec == 0))
            return nowUs - (long)frames * 1_000_000 / SampleRate;
        long tstampUs = status.tstamp.tv_sec * 1_000_000 + status.tstamp.tv_nsec / 1000;
        return tstampUs - ((long)status.avail + frames) * 1_000_000 / SampleRate;
    }

    private void OnOverrun()
    {
        Overruns++;
        if (Overruns == 1 || Log.IsEnabled(Log.Level.Debug))
            Log.Warning(Component, $"overrun (the loop did not read for {BufferFrames} frames): {Overruns} so far");
        _sink?.OnPcmDiscontinuity("overrun");
        string? failure = PrepareAndStart();
        if (failure is not null) Lost(failure);
    }

    private void Lost(string reason)
    {
        Close();
        _sink?.OnPcmDiscontinuity("device lost");
        Retry(reason);
    }

    private void Retry(string reason)
    {
        if (reason != _lastFailure)
        {
            Log.Warning(Component, $"{reason}; retrying every {RetryMax.TotalSeconds:0} s at most");
            _lastFailure = reason;
        }
        if (_sink is null) return;
        _retryTimer.Start(_retryDelayUs);
        _retryDelayUs = Math.Min(_retryDelayUs * 2, (long)RetryMax.TotalMicroseconds);
    }

    private void Close()
    {
        if (_fd < 0) return;
        _loop.Remove(_fd);
        _io.Ioctl(_fd, SNDRV_PCM_IOCTL_DROP, null);
        _io.Close(_fd);
        _fd = -1;
    }

    public void Dispose() => Stop();
}
