using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.uvcvideo;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>uvcx_* settings, commit, IDR and -l lines against a simulated uvcvideo with a C920's units (compatibility §7).</summary>
public class UvcExtensionsTests
{
    private const byte H264 = SimulatedUvcDriver.H264Unit;
    private const byte Led = SimulatedUvcDriver.LedUnit;

    private FakeSysfs _sysfs = null!;
    private SimulatedUvcDriver _uvc = null!;
    private VideoDevice _device = null!;

    [SetUp]
    public void SetUp()
    {
        _sysfs = new FakeSysfs(FakeSysfs.C920());
        _uvc = new SimulatedUvcDriver(new SimulatedV4l2Driver(FakeSysfs.ByIdPath));
        _uvc.AddH264Unit();
        _uvc.AddLedUnit();
        _device = VideoDevice.Open(_uvc, FakeSysfs.ByIdPath);
    }

    [TearDown]
    public void TearDown()
    {
        _device.Dispose();
        _uvc.Dispose();
        _sysfs.Dispose();
    }

    private SimXuControl Probe => _uvc.Control(H264, UvcH264Extension.VideoConfigProbe);
    private SimXuControl Commit => _uvc.Control(H264, UvcH264Extension.VideoConfigCommit);
    private SimXuControl Led1 => _uvc.Control(Led, LogitechLedExtension.Led1Selector);

    private UvcExtensions Open(List<string>? warnings = null) => UvcExtensions.Open(_device, _sysfs.Root, warnings ?? new List<string>());

    private static ControlSetting[] Settings(params (string Key, string Value)[] kv) =>
        kv.Select((p, i) => new ControlSetting(p.Key, p.Value, $"c.conf:{i + 2}")).ToArray();

    private List<string> UvcLog() => _uvc.Inner.IoctlLog.Where(l => l.StartsWith("UVC ")).ToList();

    [Test]
    public void OpensBothUnitsAskingTheLengthBeforeEveryQuery()
    {
        var warnings = new List<string>();
        var x = Open(warnings);
        Assert.That((x.H264?.UnitId, x.Led?.UnitId), Is.EqualTo(((byte?)12, (byte?)11)));
        Assert.That(x.H264!.CanMuxH264, Is.True);
        Assert.That(warnings, Is.Empty);
        Assert.That(UvcLog(), Is.EqualTo(new[]
        {
            "UVC GET_LEN 12/1", "UVC GET_DEF 12/1", "UVC GET_LEN 12/1", "UVC GET_MIN 12/1",
            "UVC GET_LEN 12/1", "UVC GET_MAX 12/1", "UVC GET_LEN 12/1", "UVC GET_CUR 12/1",
        }));
    }

    [Test]
    public void SettingsGoIntoTheCommitWithTheirHints()
    {
        var warnings = new List<string>();
        Open().Apply(Settings(("uvcx_h264_profile", "Main"), ("uvcx_h264_i_frame_period", "2000"),
            ("uvcx_h264_bitrate", "5000000"), ("uvcx_h264_entropy", "CAVLC"), ("uvcx_h264_rate_control_mode", "Const QP")), warnings);
        Assert.That(warnings, Is.Empty);
        Assert.That(Commit.Sets, Has.Count.EqualTo(1));
        var c = SimulatedUvcDriver.Parse(Commit.Sets[0]);
        Assert.That((c.wProfile, c.wIFramePeriod, c.dwBitRate, c.bEntropyCABAC, c.bRateControlMode), Is.EqualTo(((ushort)0x4D00, (ushort)2000, 5_000_000u, (byte)0, (byte)3)));
        Assert.That(c.bmHints, Is.EqualTo(UvcH264Extension.HintProfile | UvcH264Extension.HintIFramePeriod | UvcH264Extension.HintBitrate
            | UvcH264Extension.HintEntropy | UvcH264Extension.HintRateControl));
        Assert.That((c.wWidth, c.wHeight, c.dwFrameInterval), Is.EqualTo(((ushort)1920, (ushort)1080, 333333u)), "unset fields keep GET_CUR");
        Assert.That(UvcLog().TakeLast(4), Is.EqualTo(new[] { "UVC GET_LEN 12/2", "UVC SET_CUR 12/2", "UVC GET_LEN 12/1", "UVC GET_CUR 12/1" }),
            "COMMIT, then the probe read back");
    }

    [Test]
    public void NoSettingsStillCommitsTheCurrentConfiguration()
    {
        Open().Apply(Array.Empty<ControlSetting>(), new List<string>());
        Assert.That(Commit.Sets.Single(), Is.EqualTo(Probe.Def));
    }

    [Test]
    public void AValueTheCameraAdjustsIsAWarning()
    {
        // The C930e takes only multiples of 500 ms (issue #9).
        Commit.OnSet = bytes =>
        {
            var c = SimulatedUvcDriver.Parse(bytes);
            c.wIFramePeriod = (ushort)((c.wIFramePeriod + 250) / 500 * 500);
            Probe.Cur = UvcxVideoConfig.AsBytes(ref c).ToArray();
            return bytes;
        };
        var warnings = new List<string>();
        Open().Apply(Settings(("uvcx_h264_i_frame_period", "900"), ("uvcx_h264_profile", "High")), warnings);
        Assert.That(warnings, Is.EqualTo(new[] { "c.conf:2: /dev/v4l/by-id/usb-046d_HD_Pro_Webcam_C920_8A4E7E1F-video-index0 did not take uvcx_h264_i_frame_period = 900; it uses 1000" }));
    }

    private static IEnumerable<TestCaseData> BadSettings()
    {
        yield return new TestCaseData("uvcx_h264_bogus", "1",
            "c.conf:2: " + FakeSysfs.ByIdPath + " has no UVC extension control 'uvcx_h264_bogus'; valid uvcx controls: uvcx_h264_stream_mux, uvcx_h264_width, " +
            "uvcx_h264_height, uvcx_h264_frame_interval, uvcx_h264_bitrate, uvcx_h264_rate_control_mode, uvcx_h264_profile, uvcx_h264_i_frame_period, " +
            "uvcx_h264_slice_mode, uvcx_h264_slice_units, uvcx_h264_entropy, uvcx_h264_usage, uvcx_h264_leaky_bucket_size, uvcx_logitech_led1_mode, " +
            "uvcx_logitech_led1_frequency").SetName("unknown name");
        yield return new TestCaseData("uvcx_razer_hdr", "1", null).SetName("unknown vendor prefix");
        yield return new TestCaseData("uvcx_h264_profile", "Ultra",
            "c.conf:2: uvcx_h264_profile = Ultra is not a menu item; valid values: 'Constrained', 'Baseline', 'Main', 'High'").SetName("unknown label");
        yield return new TestCaseData("uvcx_h264_profile", "high", null).SetName("labels are case-sensitive");
        yield return new TestCaseData("uvcx_h264_width", "wide", "c.conf:2: uvcx_h264_width = wide is not an integer from 0 to 65535").SetName("not a number");
        yield return new TestCaseData("uvcx_h264_width", "-5", null).SetName("negative");
        yield return new TestCaseData("uvcx_h264_width", "70000", null).SetName("beyond the field");
        yield return new TestCaseData("uvcx_h264_width", "4000",
            "c.conf:2: uvcx_h264_width = 4000 is out of range; " + FakeSysfs.ByIdPath + " accepts 160 to 1920").SetName("above GET_MAX");
        yield return new TestCaseData("uvcx_h264_leaky_bucket_size", "100",
            "c.conf:2: uvcx_h264_leaky_bucket_size = 100 is out of range; " + FakeSysfs.ByIdPath + " accepts 500 to 4000").SetName("below GET_MIN");
        yield return new TestCaseData("uvcx_logitech_led1_frequency", "300", null).SetName("LED frequency beyond a byte");
        yield return new TestCaseData("uvcx_logitech_led1_mode", "Disco",
            "c.conf:2: uvcx_logitech_led1_mode = Disco is not a menu item; valid values: 'Off', 'On', 'Blink', 'Auto'").SetName("unknown LED mode");
    }

    [TestCaseSource(nameof(BadSettings))]
    public void BadSettingsAreErrorsNamingTheLineAndWhatIsValid(string key, string value, string? message)
    {
        var x = Open();
        var e = Assert.Throws<V4l2Exception>(() => x.Apply(Settings((key, value)), new List<string>()))!;
        if (message is not null) Assert.That(e.Message, Is.EqualTo(message));
        else Assert.That(e.Message, Does.StartWith($"c.conf:2: ").And.Contain(key));
        Assert.That(Commit.Sets, Is.Empty, "nothing committed");
    }

    [Test]
    public void LedFrequencyIsRangeCheckedAgainstTheDevice()
    {
        Led1.Max[3] = 100;
        var e = Assert.Throws<V4l2Exception>(() => Open().Apply(Settings(("uvcx_logitech_led1_frequency", "150")), new List<string>()))!;
        Assert.That(e.Message, Is.EqualTo($"c.conf:2: uvcx_logitech_led1_frequency = 150 is out of range; {FakeSysfs.ByIdPath} accepts 0 to 100"));
    }

    [Test]
    public void LedSettingsReadModifyWriteTheirByte()
    {
        var warnings = new List<string>();
        Open().Apply(Settings(("uvcx_logitech_led1_mode", "Blink"), ("uvcx_logitech_led1_frequency", "20")), warnings);
        Assert.That(warnings, Is.Empty);
        Assert.That(Led1.Sets.Select(s => Convert.ToHexString(s)), Is.EqualTo(new[] { "0102000000", "0102001400" }));
    }

    [Test]
    public void AnLedThatCannotBeSetWarns()
    {
        Led1.Info = 0x01; // GET only: SET_CUR answers EBADRQC
        var warnings = new List<string>();
        Open().Apply(Settings(("uvcx_logitech_led1_mode", "On")), warnings);
        Assert.That(warnings, Is.EqualTo(new[] { $"c.conf:2: uvcx_logitech_led1_mode = On: {FakeSysfs.ByIdPath} refused it: EBADRQC" }));
    }

    [Test]
    public void ACameraWithoutTheUnitsWarnsOnceAndIgnoresTheirKeys()
    {
        using var plain = new FakeSysfs(FakeSysfs.DeviceAndConfig(FakeSysfs.VideoControl()));
        var warnings = new List<string>();
        var x = UvcExtensions.Open(_device, plain.Root, warnings);
        Assert.That((x.H264, x.Led), Is.EqualTo(((UvcH264Extension?)null, (LogitechLedExtension?)null)));
        x.Apply(Settings(("uvcx_h264_profile", "High"), ("uvcx_h264_i_frame_period", "1000"), ("uvcx_logitech_led1_mode", "On")), warnings);
        Assert.That(warnings, Is.EqualTo(new[]
        {
            $"c.conf:2: {FakeSysfs.ByIdPath} has no UVC H.264 extension unit; the uvcx_h264_* settings are ignored",
            $"c.conf:4: {FakeSysfs.ByIdPath} has no Logitech LED extension unit; the uvcx_logitech_* settings are ignored",
        }));
        Assert.That(UvcLog(), Is.Empty);
        Assert.Throws<V4l2Exception>(() => x.Apply(Settings(("uvcx_h264_profil", "High")), warnings), "typos are errors even without the unit");
    }

    [Test]
    public void GetLenLargerThanTheBufferIsClampedAndTheUnitLeftUnused()
    {
        Probe.ReportedLength = 64;
        var warnings = new List<string>();
        var x = Open(warnings);
        Assert.That(x.H264, Is.Null);
        Assert.That(warnings.Single(), Does.Contain("H.264 extension unit 12 does not answer").And.Contain("GET_DEF").And.Contain("ENOBUFS"));
        Assert.That(x.Led, Is.Not.Null);
    }

    [Test]
    public void AFailingGetLenStopsTheQuery()
    {
        Probe.Fail[UVC_GET_LEN] = LibC.EPIPE;
        var warnings = new List<string>();
        Assert.That(Open(warnings).H264, Is.Null);
        Assert.That(UvcLog(), Is.EqualTo(new[] { "UVC GET_LEN 12/1" }), "no data query after GET_LEN failed");
        Assert.That(warnings.Single(), Does.Contain("EPIPE"));
    }

    [Test]
    public void ACameraThatLeavesDuringSetUpThrows()
    {
        _uvc.Gone = true;
        var e = Assert.Throws<LinuxException>(() => Open())!;
        Assert.That(e.Errno, Is.EqualTo(LibC.ENODEV));
    }

    [Test]
    public void ARefusedCommitIsAWarning()
    {
        Commit.Fail[UVC_SET_CUR] = LibC.EPIPE;
        var warnings = new List<string>();
        Open().Apply(Settings(("uvcx_h264_profile", "Main")), warnings);
        Assert.That(warnings, Is.EqualTo(new[] { $"{FakeSysfs.ByIdPath}: the H.264 extension unit refused the configuration (COMMIT SET_CUR: EPIPE)" }));
    }

    [Test]
    public void CommitBeforeStreamingSendsTheDesiredConfigurationAgain()
    {
        var x = Open();
        x.Apply(Settings(("uvcx_h264_profile", "Baseline")), new List<string>());
        Probe.Cur = (byte[])Probe.Def.Clone(); // the camera forgot it (re-plugged, another program)
        Assert.That(x.CommitBeforeStreaming(), Is.EqualTo(0));
        Assert.That(Commit.Sets, Has.Count.EqualTo(2));
        Assert.That(Commit.Sets[1], Is.EqualTo(Commit.Sets[0]));
        Assert.That(SimulatedUvcDriver.Parse(Commit.Sets[1]).wProfile, Is.EqualTo(0x4200));
    }

    [Test]
    public void IdrRequestSetsThePictureType()
    {
        var x = Open();
        Assert.That(x.H264!.RequestIdr(), Is.EqualTo(0));
        Assert.That(_uvc.Control(H264, UvcH264Extension.PictureTypeControl).Sets.Single(), Is.EqualTo(new byte[] { 0, 0, 1, 0 }),
            "wLayerID 0, wPicType 1 (IDR), little-endian");
        Assert.That(UvcLog().TakeLast(2), Is.EqualTo(new[] { "UVC GET_LEN 12/9", "UVC SET_CUR 12/9" }));
    }

    [Test]
    public void MjpgH264ForcesMuxAndSizeOverTheConfig()
    {
        var warnings = new List<string>();
        bool muxing = Open().Apply(Settings(("uvcx_h264_stream_mux", "None"), ("uvcx_h264_width", "640"), ("uvcx_h264_profile", "Main")),
            warnings, muxWidth: 1280, muxHeight: 720);
        Assert.That(muxing, Is.True);
        Assert.That(warnings, Is.Empty);
        var c = SimulatedUvcDriver.Parse(Commit.Sets.Single());
        Assert.That((c.bStreamMuxOption, c.wWidth, c.wHeight, c.wProfile), Is.EqualTo(((byte)3, (ushort)1280, (ushort)720, (ushort)0x4D00)));
        Assert.That(c.bmHints & UvcH264Extension.HintResolution, Is.Not.Zero);
    }

    [Test]
    public void MjpgH264OnAUnitThatCannotMuxWarns()
    {
        Probe.Max[33] = 0x01;
        var warnings = new List<string>();
        Assert.That(Open().Apply(Array.Empty<ControlSetting>(), warnings, 1280, 720), Is.False);
        Assert.That(warnings.Single(), Does.Contain("cannot mux H.264 into MJPG"));
        Assert.That(SimulatedUvcDriver.Parse(Commit.Sets.Single()).bStreamMuxOption, Is.EqualTo(0), "mux not forced");
    }

    [Test]
    public void ListsInTheOriginalsFormatLogitechFirst()
    {
        var x = Open();
        x.Apply(Settings(("uvcx_h264_profile", "Main"), ("uvcx_h264_i_frame_period", "1500")), new List<string>(), 1280, 720);
        var sb = new System.Text.StringBuilder();
        var warnings = new List<string>();
        x.AppendListing(sb, warnings);
        Assert.That(warnings, Is.Empty);
        Assert.That(sb.ToString(), Is.EqualTo(
            "uvcx_logitech_led1_mode = Auto\t( default: Off values: 'Off' 'On' 'Blink' 'Auto' )\n" +
            "uvcx_logitech_led1_frequency = 0\t( default: 0 min: 0 max: 255)\n" +
            "uvcx_h264_stream_mux = H264\t( default: None values: 'None' 'H264' )\n" +
            "uvcx_h264_width = 1280\t( default: 1920 min: 160 max: 1920)\n" +
            "uvcx_h264_height = 720\t( default: 1080 min: 90 max: 1080)\n" +
            "uvcx_h264_frame_interval = 333333\t( default: 333333 min: 166666 max: 2000000)\n" +
            "uvcx_h264_bitrate = 3000000\t( default: 3000000 min: 64000 max: 20000000)\n" +
            "uvcx_h264_rate_control_mode = CBR\t( default: CBR values: 'CBR' 'VBR' 'Const QP' )\n" +
            "uvcx_h264_profile = Main\t( default: High values: 'Constrained' 'Baseline' 'Main' 'High' )\n" +
            "uvcx_h264_i_frame_period = 1500\t( default: 1000 min: 0 max: 65535)\n" +
            "uvcx_h264_slice_mode = Off\t( default: Off values: 'Off' 'BitsPerSlice' 'MBsPerSlice' 'SlicesPerFrame' )\n" +
            "uvcx_h264_slice_units = 0\t( default: 0 min: 0 max: 1000)\n" +
            "uvcx_h264_entropy = CABAC\t( default: CABAC values: 'CAVLC' 'CABAC' )\n" +
            "uvcx_h264_usage = Realtime\t( default: Realtime values: 'Realtime' 'Broadcast' 'Storage' )\n" +
            "uvcx_h264_leaky_bucket_size = 1000\t( default: 1000 min: 500 max: 4000)\n"));
    }

    [Test]
    public void AMenuValueWithoutLabelIsShownAsANumberAndItsDefaultLeftOut()
    {
        Probe.Def[29] = 9; // rate control mode 9: no label
        Probe.Cur[29] = 7;
        var sb = new System.Text.StringBuilder();
        Open().AppendListing(sb, new List<string>());
        Assert.That(sb.ToString(), Does.Contain("uvcx_h264_rate_control_mode = 7\t( values: 'CBR' 'VBR' 'Const QP' )\n"));
    }
}
