using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.uvcvideo;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>
/// uvcvideo's UVCIOC_CTRL_QUERY in front of the simulated V4L2 driver (uvc_xu_ctrl_query in drivers/media/usb/uvc):
/// ENOENT for an unknown unit or selector, ENOBUFS when the size is not 2 (GET_LEN), 1 (GET_INFO) or the control's
/// length, EBADRQC for a request GET_INFO does not allow, injected errnos per request. Every other call goes to
/// <see cref="Inner"/>; queries are logged into its IoctlLog as "UVC SET_CUR 12/2".
/// </summary>
public sealed unsafe class SimulatedUvcDriver : ILinuxIo, IDisposable
{
    public const byte H264Unit = 12;
    public const byte LedUnit = 11;
    private const int EBADRQC = 56;

    public SimulatedUvcDriver(SimulatedV4l2Driver inner) => Inner = inner;

    public SimulatedV4l2Driver Inner { get; }

    public Dictionary<(byte Unit, byte Selector), SimXuControl> Controls { get; } = new();

    public SimXuControl Control(byte unit, byte selector) => Controls[(unit, selector)];

    /// <summary>ENODEV for every query (the camera was unplugged during set-up).</summary>
    public bool Gone { get; set; }

    public int Open(string path, int flags, out int fd) => Inner.Open(path, flags, out fd);
    public int Close(int fd) => Inner.Close(fd);
    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address) => Inner.Mmap(fd, length, prot, flags, offset, out address);
    public int Munmap(void* address, nuint length) => Inner.Munmap(address, length);

    public int Ioctl(int fd, uint request, void* arg)
    {
        if (request != UVCIOC_CTRL_QUERY) return Inner.Ioctl(fd, request, arg);
        var q = (uvc_xu_control_query*)arg;
        Inner.IoctlLog.Add($"UVC {ExtensionUnit.QueryName(q->query)} {q->unit}/{q->selector}");
        if (Gone) return LibC.ENODEV;
        if (!Controls.TryGetValue((q->unit, q->selector), out var c)) return LibC.ENOENT;
        if (c.Fail.TryGetValue(q->query, out int errno)) return errno;
        var data = new Span<byte>((void*)q->data, q->size);
        switch (q->query)
        {
            case UVC_GET_LEN:
                if (q->size != 2) return LibC.ENOBUFS;
                data[0] = (byte)(c.ReportedLength ?? c.Length);
                data[1] = (byte)((c.ReportedLength ?? c.Length) >> 8);
                return 0;
            case UVC_GET_INFO:
                if (q->size != 1) return LibC.ENOBUFS;
                data[0] = c.Info;
                return 0;
        }
        // uvcvideo learnt the control's size from GET_LEN when it bound the unit and accepts only that size.
        if (q->size != (c.ReportedLength ?? c.Length)) return LibC.ENOBUFS;
        switch (q->query)
        {
            case UVC_SET_CUR:
                if ((c.Info & 0x02) == 0) return EBADRQC;
                byte[] set = data.ToArray();
                c.Sets.Add(set);
                c.Cur = c.OnSet?.Invoke(set) ?? set;
                return 0;
            case UVC_GET_CUR: return Get(c, c.Cur, data);
            case UVC_GET_DEF: return Get(c, c.Def, data);
            case UVC_GET_MIN: return Get(c, c.Min, data);
            case UVC_GET_MAX: return Get(c, c.Max, data);
            case UVC_GET_RES: return Get(c, c.Res, data);
            default: return LibC.EINVAL;
        }
    }

    private static int Get(SimXuControl c, byte[] value, Span<byte> data)
    {
        if ((c.Info & 0x01) == 0) return EBADRQC;
        value.CopyTo(data);
        return 0;
    }

    /// <summary>
    /// A C920-like H.264 unit: PROBE and COMMIT (46 bytes; a COMMIT also becomes the probe's current value) and
    /// PICTURE_TYPE_CONTROL (4 bytes). Defaults 1920x1080 High, 1000 ms I-frame period, no mux.
    /// </summary>
    public void AddH264Unit(byte unit = H264Unit)
    {
        var probe = new SimXuControl(UvcxVideoConfig.Size);
        probe.Def = Config((ref UvcxVideoConfig c) =>
        {
            c.dwFrameInterval = 333333; c.dwBitRate = 3_000_000; c.wWidth = 1920; c.wHeight = 1080; c.wProfile = 0x6400;
            c.wIFramePeriod = 1000; c.bUsageType = 1; c.bRateControlMode = 1; c.bEntropyCABAC = 1; c.wLeakyBucketSize = 1000;
        });
        probe.Cur = (byte[])probe.Def.Clone();
        probe.Min = Config((ref UvcxVideoConfig c) =>
        {
            c.dwFrameInterval = 166666; c.dwBitRate = 64_000; c.wWidth = 160; c.wHeight = 90; c.wProfile = 0x4200;
            c.wIFramePeriod = 0; c.bUsageType = 1; c.bRateControlMode = 1; c.wLeakyBucketSize = 500;
        });
        probe.Max = Config((ref UvcxVideoConfig c) =>
        {
            c.dwFrameInterval = 2_000_000; c.dwBitRate = 20_000_000; c.wWidth = 1920; c.wHeight = 1080; c.wProfile = 0x6400;
            c.wIFramePeriod = 65535; c.bUsageType = 3; c.bRateControlMode = 3; c.bStreamMuxOption = 0x03; c.bEntropyCABAC = 1;
            c.wSliceMode = 3; c.wSliceUnits = 1000; c.wLeakyBucketSize = 4000;
        });
        probe.Info = 0x03;
        var commit = new SimXuControl(UvcxVideoConfig.Size);
        commit.OnSet = bytes =>
        {
            probe.Cur = (byte[])bytes.Clone();
            return bytes;
        };
        Controls[(unit, UvcH264Extension.VideoConfigProbe)] = probe;
        Controls[(unit, UvcH264Extension.VideoConfigCommit)] = commit;
        Controls[(unit, UvcH264Extension.PictureTypeControl)] = new SimXuControl(4);
    }

    /// <summary>Logitech LED 1: 5 bytes, mode Auto (default Off), frequency 0 in 0..255.</summary>
    public void AddLedUnit(byte unit = LedUnit)
    {
        Controls[(unit, LogitechLedExtension.Led1Selector)] = new SimXuControl(5)
        {
            Cur = new byte[] { 1, 3, 0, 0, 0 },
            Def = new byte[] { 1, 0, 0, 0, 0 },
            Min = new byte[] { 1, 0, 0, 0, 0 },
            Max = new byte[] { 1, 3, 0, 255, 0 },
        };
    }

    public delegate void ConfigFill(ref UvcxVideoConfig config);

    public static byte[] Config(ConfigFill fill)
    {
        UvcxVideoConfig c = default;
        fill(ref c);
        return UvcxVideoConfig.AsBytes(ref c).ToArray();
    }

    public static UvcxVideoConfig Parse(byte[] bytes)
    {
        UvcxVideoConfig c = default;
        bytes.AsSpan(0, UvcxVideoConfig.Size).CopyTo(UvcxVideoConfig.AsBytes(ref c));
        return c;
    }

    public void Dispose() => Inner.Dispose();
}
