using System.Runtime.InteropServices;

#pragma warning disable IDE1006 // field names as in the UVC 1.5 H.264 payload spec, so a grep finds them
namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// VIDEO_CONFIG_PROBE / VIDEO_CONFIG_COMMIT of the UVC 1.5 H.264 extension unit (UVC 1.5 H.264 payload spec 3.3.1,
/// compatibility §7): packed little-endian, 46 bytes. The host is little-endian (x64, arm64), so the fields are used as is.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
public struct UvcxVideoConfig
{
    public const int Size = 46;

    [FieldOffset(0)] public uint dwFrameInterval;
    [FieldOffset(4)] public uint dwBitRate;
    [FieldOffset(8)] public ushort bmHints;
    [FieldOffset(10)] public ushort wConfigurationIndex;
    [FieldOffset(12)] public ushort wWidth;
    [FieldOffset(14)] public ushort wHeight;
    [FieldOffset(16)] public ushort wSliceUnits;
    [FieldOffset(18)] public ushort wSliceMode;
    [FieldOffset(20)] public ushort wProfile;
    [FieldOffset(22)] public ushort wIFramePeriod;
    [FieldOffset(24)] public ushort wEstimatedVideoDelay;
    [FieldOffset(26)] public ushort wEstimatedMaxConfigDelay;
    [FieldOffset(28)] public byte bUsageType;
    [FieldOffset(29)] public byte bRateControlMode;
    [FieldOffset(30)] public byte bTemporalScaleMode;
    [FieldOffset(31)] public byte bSpatialScaleMode;
    [FieldOffset(32)] public byte bSNRScaleMode;
    [FieldOffset(33)] public byte bStreamMuxOption;
    [FieldOffset(34)] public byte bStreamFormat;
    [FieldOffset(35)] public byte bEntropyCABAC;
    [FieldOffset(36)] public byte bTimestamp;
    [FieldOffset(37)] public byte bNumOfReorderFrames;
    [FieldOffset(38)] public byte bPreviewFlipped;
    [FieldOffset(39)] public byte bView;
    [FieldOffset(40)] public byte bReserved1;
    [FieldOffset(41)] public byte bReserved2;
    [FieldOffset(42)] public byte bStreamID;
    [FieldOffset(43)] public byte bSpatialLayerRatio;
    [FieldOffset(44)] public ushort wLeakyBucketSize;

    /// <summary>The struct's bytes, for UVCIOC_CTRL_QUERY and for the control table's offsets.</summary>
    public static Span<byte> AsBytes(ref UvcxVideoConfig config) => MemoryMarshal.AsBytes(new Span<UvcxVideoConfig>(ref config));
}
