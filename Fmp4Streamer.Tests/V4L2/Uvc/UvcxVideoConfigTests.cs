using System.Runtime.InteropServices;
using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>The probe/commit layout against the UVC 1.5 H.264 payload spec's table (3.3.1; compatibility §7).</summary>
public class UvcxVideoConfigTests
{
    private static readonly (string Field, int Offset, int Size)[] s_spec =
    {
        ("dwFrameInterval", 0, 4), ("dwBitRate", 4, 4), ("bmHints", 8, 2), ("wConfigurationIndex", 10, 2),
        ("wWidth", 12, 2), ("wHeight", 14, 2), ("wSliceUnits", 16, 2), ("wSliceMode", 18, 2), ("wProfile", 20, 2),
        ("wIFramePeriod", 22, 2), ("wEstimatedVideoDelay", 24, 2), ("wEstimatedMaxConfigDelay", 26, 2),
        ("bUsageType", 28, 1), ("bRateControlMode", 29, 1), ("bTemporalScaleMode", 30, 1), ("bSpatialScaleMode", 31, 1),
        ("bSNRScaleMode", 32, 1), ("bStreamMuxOption", 33, 1), ("bStreamFormat", 34, 1), ("bEntropyCABAC", 35, 1),
        ("bTimestamp", 36, 1), ("bNumOfReorderFrames", 37, 1), ("bPreviewFlipped", 38, 1), ("bView", 39, 1),
        ("bReserved1", 40, 1), ("bReserved2", 41, 1), ("bStreamID", 42, 1), ("bSpatialLayerRatio", 43, 1),
        ("wLeakyBucketSize", 44, 2),
    };

    /// <summary>Which probe field each uvcx_h264_* key sets, and its bmHints bit (compatibility §7).</summary>
    private static readonly (string Key, string Field, ushort Hint)[] s_controls =
    {
        ("uvcx_h264_stream_mux", "bStreamMuxOption", 0), ("uvcx_h264_width", "wWidth", 0x0001),
        ("uvcx_h264_height", "wHeight", 0x0001), ("uvcx_h264_frame_interval", "dwFrameInterval", 0x0800),
        ("uvcx_h264_bitrate", "dwBitRate", 0x2000), ("uvcx_h264_rate_control_mode", "bRateControlMode", 0x0004),
        ("uvcx_h264_profile", "wProfile", 0x0002), ("uvcx_h264_i_frame_period", "wIFramePeriod", 0x8000),
        ("uvcx_h264_slice_mode", "wSliceMode", 0x0010), ("uvcx_h264_slice_units", "wSliceUnits", 0x0020),
        ("uvcx_h264_entropy", "bEntropyCABAC", 0x4000), ("uvcx_h264_usage", "bUsageType", 0x0008),
        ("uvcx_h264_leaky_bucket_size", "wLeakyBucketSize", 0x1000),
    };

    [Test]
    public void EveryFieldSitsAtTheSpecOffsetWithTheSpecSize()
    {
        Assert.That(Marshal.SizeOf<UvcxVideoConfig>(), Is.EqualTo(46));
        var fields = typeof(UvcxVideoConfig).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance);
        Assert.That(fields.Select(f => f.Name), Is.EquivalentTo(s_spec.Select(s => s.Field)), "no field missing or extra");
        Assert.Multiple(() =>
        {
            foreach (var (field, offset, size) in s_spec)
            {
                Assert.That((int)Marshal.OffsetOf<UvcxVideoConfig>(field), Is.EqualTo(offset), field + " offset");
                Assert.That(Marshal.SizeOf(typeof(UvcxVideoConfig).GetField(field)!.FieldType), Is.EqualTo(size), field + " size");
            }
        });
    }

    [Test]
    public void FieldsAreLittleEndianOnTheWire()
    {
        UvcxVideoConfig c = default;
        c.dwFrameInterval = 0x01020304;
        c.wLeakyBucketSize = 0x0A0B;
        var bytes = UvcxVideoConfig.AsBytes(ref c);
        Assert.That(bytes.Length, Is.EqualTo(46));
        Assert.That(bytes[..4].ToArray(), Is.EqualTo(new byte[] { 4, 3, 2, 1 }));
        Assert.That(bytes[44..].ToArray(), Is.EqualTo(new byte[] { 0x0B, 0x0A }));
    }

    [Test]
    public void EachControlWritesItsFieldAndNamesItsHint()
    {
        Assert.That(UvcH264Extension.Controls.Select(c => c.Name), Is.EqualTo(s_controls.Select(c => c.Key)), "names and -l order");
        Assert.Multiple(() =>
        {
            foreach (var (key, field, hint) in s_controls)
            {
                var control = UvcH264Extension.Find(key)!;
                var spec = s_spec.Single(s => s.Field == field);
                Assert.That((control.Offset, control.Size), Is.EqualTo((spec.Offset, spec.Size)), key);
                Assert.That(control.Hint, Is.EqualTo(hint), key + " hint");
            }
        });
    }

    [Test]
    public void MenusCarryTheSpecValues()
    {
        static string Menu(string key) => string.Join(" ", UvcH264Extension.Find(key)!.Menu.Select(m => $"{m.Value:x}={m.Name}"));
        Assert.That(Menu("uvcx_h264_stream_mux"), Is.EqualTo("0=None 3=H264"));
        Assert.That(Menu("uvcx_h264_profile"), Is.EqualTo("4240=Constrained 4200=Baseline 4d00=Main 6400=High"));
        Assert.That(Menu("uvcx_h264_rate_control_mode"), Is.EqualTo("1=CBR 2=VBR 3=Const QP"));
        Assert.That(Menu("uvcx_h264_slice_mode"), Is.EqualTo("0=Off 1=BitsPerSlice 2=MBsPerSlice 3=SlicesPerFrame"));
        Assert.That(Menu("uvcx_h264_entropy"), Is.EqualTo("0=CAVLC 1=CABAC"));
        Assert.That(Menu("uvcx_h264_usage"), Is.EqualTo("1=Realtime 2=Broadcast 3=Storage"));
        Assert.That(string.Join(" ", LogitechLedExtension.Controls[0].Menu.Select(m => $"{m.Value}={m.Name}")), Is.EqualTo("0=Off 1=On 2=Blink 3=Auto"));
        Assert.That((LogitechLedExtension.Controls[0].Offset, LogitechLedExtension.Controls[1].Offset), Is.EqualTo((1, 3)));
    }

    [Test]
    public void GuidsAreTheDescriptorByteOrderOfTheSpecGuids()
    {
        Assert.That(new Guid(UvcGuids.H264), Is.EqualTo(Guid.Parse("a29e7641-de04-47e3-8b2b-f4341aff003b")));
        Assert.That(new Guid(UvcGuids.LogitechPeripheral), Is.EqualTo(Guid.Parse("ffe52d21-8030-4e2c-82d9-f587d00540bd")));
    }
}
