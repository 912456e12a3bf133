using System.Text;
using Fmp4Streamer.Linux;
using static Fmp4Streamer.Linux.Native.uvcvideo;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// The UVC 1.5 H.264 extension unit of a camera (compatibility §7): reads the probe's DEF/MIN/MAX/CUR once, merges the
/// config's uvcx_h264_* values into the current configuration (each with its bmHints bit), commits it, and commits
/// it again before every STREAMON; requests IDRs through PICTURE_TYPE_CONTROL. As the original, the desired
/// configuration goes straight to COMMIT and is read back through the probe.
/// </summary>
public sealed class UvcH264Extension
{
    public const byte VideoConfigProbe = 0x01;
    public const byte VideoConfigCommit = 0x02;
    public const byte PictureTypeControl = 0x09;

    public const byte StreamMuxEnabled = 0x01;
    public const byte StreamMuxH264 = 0x02;
    public const ushort PictureTypeIdr = 1;

    public const ushort HintResolution = 0x0001;
    public const ushort HintProfile = 0x0002;
    public const ushort HintRateControl = 0x0004;
    public const ushort HintUsage = 0x0008;
    public const ushort HintSliceMode = 0x0010;
    public const ushort HintSliceUnits = 0x0020;
    public const ushort HintFrameInterval = 0x0800;
    public const ushort HintLeakyBucketSize = 0x1000;
    public const ushort HintBitrate = 0x2000;
    public const ushort HintEntropy = 0x4000;
    public const ushort HintIFramePeriod = 0x8000;

    public const string StreamMux = "uvcx_h264_stream_mux";
    public const string Width = "uvcx_h264_width";
    public const string Height = "uvcx_h264_height";

    /// <summary>Every setting the config may give, in -l order (compatibility §7).</summary>
    public static IReadOnlyList<UvcxControl> Controls { get; } = new UvcxControl[]
    {
        new(StreamMux, 33, 1, 0, Menu((0x00, "None"), (StreamMuxH264 | StreamMuxEnabled, "H264"))),
        new(Width, 12, 2, HintResolution, []),
        new(Height, 14, 2, HintResolution, []),
        new("uvcx_h264_frame_interval", 0, 4, HintFrameInterval, []),
        new("uvcx_h264_bitrate", 4, 4, HintBitrate, []),
        new("uvcx_h264_rate_control_mode", 29, 1, HintRateControl, Menu((1, "CBR"), (2, "VBR"), (3, "Const QP"))),
        new("uvcx_h264_profile", 20, 2, HintProfile, Menu((0x4240, "Constrained"), (0x4200, "Baseline"), (0x4D00, "Main"), (0x6400, "High"))),
        new("uvcx_h264_i_frame_period", 22, 2, HintIFramePeriod, []),
        new("uvcx_h264_slice_mode", 18, 2, HintSliceMode, Menu((0, "Off"), (1, "BitsPerSlice"), (2, "MBsPerSlice"), (3, "SlicesPerFrame"))),
        new("uvcx_h264_slice_units", 16, 2, HintSliceUnits, []),
        new("uvcx_h264_entropy", 35, 1, HintEntropy, Menu((0, "CAVLC"), (1, "CABAC"))),
        new("uvcx_h264_usage", 28, 1, HintUsage, Menu((1, "Realtime"), (2, "Broadcast"), (3, "Storage"))),
        new("uvcx_h264_leaky_bucket_size", 44, 2, HintLeakyBucketSize, []),
    };

    private readonly ExtensionUnit _unit;
    private UvcxVideoConfig _default;
    private UvcxVideoConfig _minimum;
    private UvcxVideoConfig _maximum;
    private UvcxVideoConfig _desired;

    private UvcH264Extension(ExtensionUnit unit) => _unit = unit;

    public byte UnitId => _unit.UnitId;

    /// <summary>GET_MAX of bStreamMuxOption has the H.264 bit: the camera can put H.264 into its MJPG frames.</summary>
    public bool CanMuxH264 => (_maximum.bStreamMuxOption & StreamMuxH264) != 0;

    /// <summary>The configuration committed before each STREAMON.</summary>
    public UvcxVideoConfig Desired => _desired;

    /// <summary>Reads the probe's DEF, MIN, MAX and CUR; a failing query throws <see cref="LinuxException"/>.</summary>
    public static UvcH264Extension Open(VideoDevice device, byte unitId)
    {
        var x = new UvcH264Extension(new ExtensionUnit(device, unitId));
        x._unit.QueryOrThrow(VideoConfigProbe, UVC_GET_DEF, UvcxVideoConfig.AsBytes(ref x._default));
        x._unit.QueryOrThrow(VideoConfigProbe, UVC_GET_MIN, UvcxVideoConfig.AsBytes(ref x._minimum));
        x._unit.QueryOrThrow(VideoConfigProbe, UVC_GET_MAX, UvcxVideoConfig.AsBytes(ref x._maximum));
        x._unit.QueryOrThrow(VideoConfigProbe, UVC_GET_CUR, UvcxVideoConfig.AsBytes(ref x._desired));
        return x;
    }

    public static UvcxControl? Find(string name)
    {
        foreach (var c in Controls)
            if (c.Name == name) return c;
        return null;
    }

    /// <summary>
    /// Merges parsed settings into the desired configuration: integers must lie within the probe's GET_MIN..GET_MAX
    /// (else <see cref="V4l2Exception"/>). Then commits and reads the probe back: a value the camera did not take adds
    /// a warning with what it uses.
    /// </summary>
    public void Apply(IReadOnlyList<UvcxSetting> settings, ICollection<string> warnings)
    {
        var desired = UvcxVideoConfig.AsBytes(ref _desired);
        foreach (var s in settings)
        {
            if (!s.Control.IsMenu)
            {
                long min = s.Control.Read(UvcxVideoConfig.AsBytes(ref _minimum));
                long max = s.Control.Read(UvcxVideoConfig.AsBytes(ref _maximum));
                if (s.Value < min || s.Value > max)
                    throw new V4l2Exception($"{s.Where} is out of range; {_unit.DevicePath} accepts {min} to {max}");
            }
            s.Control.Write(desired, s.Value);
            _desired.bmHints |= s.Control.Hint;
        }
        int err = Commit();
        if (err != 0)
        {
            warnings.Add($"{_unit.DevicePath}: the H.264 extension unit refused the configuration (COMMIT SET_CUR: {LinuxError.Name(err)})");
            return;
        }
        if (settings.Count == 0) return;
        UvcxVideoConfig current = default;
        err = _unit.Query(VideoConfigProbe, UVC_GET_CUR, UvcxVideoConfig.AsBytes(ref current), out _);
        if (err != 0) return;
        var got = UvcxVideoConfig.AsBytes(ref current);
        foreach (var s in settings)
        {
            long used = s.Control.Read(got);
            if (used != s.Value)
                warnings.Add($"{s.Location}: {_unit.DevicePath} did not take {s.Control.Name} = {s.Control.Describe(s.Value)}; it uses {s.Control.Describe(used)}");
        }
    }

    /// <summary>Every setting with the probe's current (as last read or committed), default, minimum and maximum.</summary>
    public List<UvcxState> States()
    {
        var desired = UvcxVideoConfig.AsBytes(ref _desired);
        var def = UvcxVideoConfig.AsBytes(ref _default);
        var min = UvcxVideoConfig.AsBytes(ref _minimum);
        var max = UvcxVideoConfig.AsBytes(ref _maximum);
        var states = new List<UvcxState>(Controls.Count);
        foreach (var c in Controls) states.Add(new UvcxState(c, c.Read(desired), c.Read(def), c.Read(min), c.Read(max)));
        return states;
    }

    /// <summary>
    /// One setting from a request: an integer clamped to the probe's GET_MIN..GET_MAX (<paramref name="clamped"/>),
    /// merged with its bmHints bit, committed, and read back through the probe's GET_CUR into <paramref name="used"/>.
    /// Returns 0 or the errno of the commit or the read.
    /// </summary>
    public int Set(UvcxControl control, long value, out long used, out bool clamped)
    {
        clamped = false;
        used = value;
        if (!control.IsMenu)
        {
            long min = control.Read(UvcxVideoConfig.AsBytes(ref _minimum));
            long max = control.Read(UvcxVideoConfig.AsBytes(ref _maximum));
            long bounded = Math.Clamp(value, min, max);
            clamped = bounded != value;
            value = bounded;
        }
        control.Write(UvcxVideoConfig.AsBytes(ref _desired), value);
        _desired.bmHints |= control.Hint;
        int err = Commit();
        if (err != 0) return err;
        UvcxVideoConfig current = default;
        err = _unit.Query(VideoConfigProbe, UVC_GET_CUR, UvcxVideoConfig.AsBytes(ref current), out _);
        if (err != 0) return err;
        used = control.Read(UvcxVideoConfig.AsBytes(ref current));
        return 0;
    }

    /// <summary>The settings that change the stream's format rather than its encoding: the capture format decides them.</summary>
    public static bool IsFormat(UvcxControl control) => control.Name is StreamMux or Width or Height;

    /// <summary>VIDEO_CONFIG_COMMIT SET_CUR of the desired configuration; 0 or the errno.</summary>
    public int Commit() => _unit.Query(VideoConfigCommit, UVC_SET_CUR, UvcxVideoConfig.AsBytes(ref _desired), out _);

    /// <summary>PICTURE_TYPE_CONTROL SET_CUR {wLayerID 0, wPicType IDR}; 0 or the errno.</summary>
    public int RequestIdr()
    {
        Span<byte> data = stackalloc byte[4];
        data.Clear();
        data[2] = (byte)PictureTypeIdr;
        return _unit.Query(PictureTypeControl, UVC_SET_CUR, data, out _);
    }

    /// <summary>One -l line per setting (compatibility §1): the desired value with the probe's default, minimum and maximum.</summary>
    public void AppendListing(StringBuilder sb)
    {
        var desired = UvcxVideoConfig.AsBytes(ref _desired);
        var def = UvcxVideoConfig.AsBytes(ref _default);
        var min = UvcxVideoConfig.AsBytes(ref _minimum);
        var max = UvcxVideoConfig.AsBytes(ref _maximum);
        foreach (var c in Controls)
            sb.Append(UvcxListing.Line(c, c.Read(desired), c.Read(def), c.Read(min), c.Read(max))).Append('\n');
    }

    private static MenuItem[] Menu(params (long Value, string Label)[] items) => UvcxControl.MenuOf(items);
}
