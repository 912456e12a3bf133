using Fmp4Streamer.Alsa;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.asound;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>
/// A capture PCM behind <see cref="ILinuxIo"/> answering the kernel's requests by number, on a clock the test moves:
/// parameter refinement over the rates and channel counts it offers, a hardware pointer that advances a period at a
/// time (as period interrupts move it) with the status timestamp of its last advance, overruns once a buffer is
/// full, and unplugging (ENODEV, then ENOENT until it is back). Its fd is an eventfd kept readable, so the
/// production loop calls the source, which reads until EAGAIN.
/// </summary>
internal sealed unsafe class SimulatedPcmDevice : ILinuxIo
{
    public const string Path = "/dev/snd/pcmC1D0c";
    public const string ControlPath = "/dev/snd/controlC1";

    private readonly IClock _clock;
    private int _fd = -1;
    private int _ctlFd = -1;
    private int _preferred = -1;
    private int _state = -1;
    private long _startUs;
    private long _applPtr;
    private uint _rate, _channels, _period, _buffer;
    private ulong _availMin;

    public SimulatedPcmDevice(IClock clock) => _clock = clock;

    public uint[] Rates { get; set; } = [16000, 32000, 44100, 48000];
    public uint MaxChannels { get; set; } = 2;
    public bool Plugged { get; set; } = true;

    /// <summary>Most periods in a buffer; the device keeps the fewest it is allowed when it chooses.</summary>
    public uint MaxPeriods { get; set; } = 32;

    /// <summary>The card's clock runs this much fast (1e-4 = 100 ppm).</summary>
    public double Drift { get; set; }

    /// <summary>Substreams of the device, and those other programs hold open; the open takes the first free one, or
    /// the one a control file of the opener preferred (EAGAIN when that one is busy), as the kernel does.</summary>
    public int Subdevices { get; set; } = 8;
    public HashSet<int> BusySubdevices { get; } = new();
    public int OpenedSubdevice { get; private set; } = -1;
    public bool ControlIsOpen => _ctlFd >= 0;

    public int Opens { get; private set; }
    public int Starts { get; private set; }
    public bool IsOpen => _fd >= 0;
    public uint Rate => _rate;
    public uint PeriodFrames => _period;
    public int TstampMode { get; private set; }
    public int TstampType { get; private set; }

    public int Open(string path, int flags, out int fd)
    {
        fd = -1;
        if (path == ControlPath && Plugged)
        {
            fd = _ctlFd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
            return 0;
        }
        if (path != Path || !Plugged) return LibC.ENOENT;
        if (_fd >= 0) return LibC.EBUSY;
        int sub = _preferred;
        if (sub < 0) sub = Enumerable.Range(0, Subdevices).FirstOrDefault(i => !BusySubdevices.Contains(i), -1);
        if (sub < 0 || sub >= Subdevices || BusySubdevices.Contains(sub)) return LibC.EAGAIN;
        OpenedSubdevice = sub;
        fd = _fd = LibC.eventfd(1, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        _state = SNDRV_PCM_STATE_OPEN;
        Opens++;
        return 0;
    }

    public int Close(int fd)
    {
        if (fd == _ctlFd && fd >= 0)
        {
            LibC.close(fd);
            _ctlFd = -1;
            _preferred = -1;
            return 0;
        }
        if (fd != _fd) return LibC.EBADF;
        LibC.close(fd);
        _fd = -1;
        _state = -1;
        return 0;
    }

    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address)
    {
        address = null;
        return LibC.ENODEV;
    }

    public int Munmap(void* address, nuint length) => LibC.EINVAL;

    public int Ioctl(int fd, uint request, void* arg)
    {
        if (fd == _ctlFd && fd >= 0)
        {
            if (request != SNDRV_CTL_IOCTL_PCM_PREFER_SUBDEVICE) return LibC.ENOTTY;
            _preferred = *(int*)arg;
            return 0;
        }
        if (fd != _fd) return LibC.EBADF;
        if (!Plugged) return LibC.ENODEV;
        if (request == SNDRV_PCM_IOCTL_TTSTAMP) { TstampType = *(int*)arg; return 0; }
        if (request == SNDRV_PCM_IOCTL_HW_REFINE) return Refine((snd_pcm_hw_params*)arg, choose: false);
        if (request == SNDRV_PCM_IOCTL_HW_PARAMS) return Refine((snd_pcm_hw_params*)arg, choose: true);
        if (request == SNDRV_PCM_IOCTL_SW_PARAMS) return SwParams((snd_pcm_sw_params*)arg);
        if (request == SNDRV_PCM_IOCTL_PREPARE)
        {
            if (_state < SNDRV_PCM_STATE_SETUP) return LibC.EBADFD;
            _state = SNDRV_PCM_STATE_PREPARED;
            _applPtr = 0;
            return 0;
        }
        if (request == SNDRV_PCM_IOCTL_START)
        {
            if (_state != SNDRV_PCM_STATE_PREPARED) return LibC.EBADFD;
            _state = SNDRV_PCM_STATE_RUNNING;
            _startUs = _clock.NowUs;
            Starts++;
            return 0;
        }
        if (request == SNDRV_PCM_IOCTL_DROP) { _state = SNDRV_PCM_STATE_SETUP; return 0; }
        if (request == SNDRV_PCM_IOCTL_STATUS) return Status((snd_pcm_status*)arg);
        if (request == SNDRV_PCM_IOCTL_READI_FRAMES) return Read((snd_xferi*)arg);
        return LibC.ENOTTY;
    }

    /// <summary>Frames the hardware has written: whole periods, as interrupts report them.</summary>
    private long HwPtr() =>
        (long)((_clock.NowUs - _startUs) * (1 + Drift) * _rate / 1_000_000) / _period * _period;

    private int Read(snd_xferi* x)
    {
        if (_state == SNDRV_PCM_STATE_XRUN) return LibC.EPIPE;
        if (_state != SNDRV_PCM_STATE_RUNNING) return LibC.EBADFD;
        long avail = HwPtr() - _applPtr;
        if (avail > _buffer)
        {
            _state = SNDRV_PCM_STATE_XRUN;
            return LibC.EPIPE;
        }
        if (avail < (long)_availMin || avail == 0) return LibC.EAGAIN;
        long n = Math.Min(avail, (long)x->frames);
        var samples = new Span<short>((void*)x->buf, (int)(n * _channels));
        for (long i = 0; i < n; i++)
        {
            // A sample's value is its frame index (mod 2^15), so a test can tell which frames arrived.
            for (int c = 0; c < _channels; c++) samples[(int)(i * _channels + c)] = (short)((_applPtr + i) & 0x7FFF);
        }
        _applPtr += n;
        x->result = n;
        return 0;
    }

    private int Status(snd_pcm_status* s)
    {
        *s = default;
        s->state = _state;
        if (_state != SNDRV_PCM_STATE_RUNNING) return 0;
        long hw = HwPtr();
        long tstampUs = _startUs + (long)(hw * 1_000_000.0 / _rate / (1 + Drift));
        s->tstamp.tv_sec = tstampUs / 1_000_000;
        s->tstamp.tv_nsec = tstampUs % 1_000_000 * 1000;
        s->hw_ptr = (ulong)hw;
        s->appl_ptr = (ulong)_applPtr;
        s->avail = (ulong)(hw - _applPtr);
        return 0;
    }

    private int SwParams(snd_pcm_sw_params* sw)
    {
        if (_state < SNDRV_PCM_STATE_SETUP) return LibC.EBADFD;
        if (sw->avail_min == 0) return LibC.EINVAL;
        _availMin = sw->avail_min;
        TstampMode = sw->tstamp_mode;
        sw->boundary = (ulong)_buffer << 20;
        return 0;
    }

    private int Refine(snd_pcm_hw_params* p, bool choose)
    {
        if (!HwParams.MaskHas(*p, SNDRV_PCM_HW_PARAM_ACCESS, SNDRV_PCM_ACCESS_RW_INTERLEAVED)
            || !HwParams.MaskHas(*p, SNDRV_PCM_HW_PARAM_FORMAT, SNDRV_PCM_FORMAT_S16_LE)) return LibC.EINVAL;
        HwParams.SetMask(ref *p, SNDRV_PCM_HW_PARAM_ACCESS, SNDRV_PCM_ACCESS_RW_INTERLEAVED);
        HwParams.SetMask(ref *p, SNDRV_PCM_HW_PARAM_FORMAT, SNDRV_PCM_FORMAT_S16_LE);
        if (!Narrow(p, SNDRV_PCM_HW_PARAM_CHANNELS, 1, MaxChannels, out uint chMin, out uint chMax)) return LibC.EINVAL;
        var (rMin, rMax) = HwParams.Interval(*p, SNDRV_PCM_HW_PARAM_RATE);
        uint lo = uint.MaxValue, hi = 0;
        foreach (uint r in Rates)
            if (r >= rMin && r <= rMax) { lo = Math.Min(lo, r); hi = Math.Max(hi, r); }
        if (hi == 0) return LibC.EINVAL;
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_RATE, lo, hi);
        if (!Narrow(p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, 64, 8192, out uint pMin, out _)) return LibC.EINVAL;
        if (!Narrow(p, SNDRV_PCM_HW_PARAM_PERIODS, 2, MaxPeriods, out uint nMin, out uint nMax)) return LibC.EINVAL;
        // The buffer is a whole number of the smallest period: the periods the asked-for buffer sizes allow.
        var (bMin, bMax) = HwParams.Interval(*p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE);
        nMin = Math.Max(nMin, (bMin + pMin - 1) / pMin);
        nMax = Math.Min(nMax, bMax / pMin);
        if (nMin > nMax) return LibC.EINVAL;
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_PERIODS, nMin, nMax);
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, pMin * nMin, pMin * nMax);
        if (!choose) return 0;
        _channels = chMin;
        _rate = lo;
        _period = pMin;
        _buffer = pMin * nMin;
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_CHANNELS, chMin, chMin);
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_RATE, lo, lo);
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_PERIOD_SIZE, pMin, pMin);
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_PERIODS, nMin, nMin);
        HwParams.SetInterval(ref *p, SNDRV_PCM_HW_PARAM_BUFFER_SIZE, _buffer, _buffer);
        _state = SNDRV_PCM_STATE_SETUP;
        return 0;
    }

    private static bool Narrow(snd_pcm_hw_params* p, int param, uint min, uint max, out uint lo, out uint hi)
    {
        var (a, b) = HwParams.Interval(*p, param);
        lo = Math.Max(a, min);
        hi = Math.Min(b, max);
        if (lo > hi) return false;
        HwParams.SetInterval(ref *p, param, lo, hi);
        return true;
    }
}
