using Fmp4Streamer.Mp4;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Mp4;

/// <summary>
/// Writes an fMP4 file from a real x264 stream (init + one fragment per frame, as the daemon sends) and lets
/// FFmpeg read it back. Needs ffmpeg/ffprobe (Debian package ffmpeg).
/// </summary>
public class FfprobeTests
{
    private const int Frames = 90;
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private string _dir = "";

    [OneTimeSetUp]
    public void CreateDirectory()
    {
        _dir = Path.Combine(Path.GetTempPath(), "fmp4streamer-mp4-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_dir);
    }

    [OneTimeTearDown]
    public void DeleteDirectory()
    {
        if (Directory.Exists(_dir) && Environment.GetEnvironmentVariable("MP4_KEEP") is null) Directory.Delete(_dir, recursive: true);
    }

    /// <summary>
    /// The brief's x264 command plus -bf 0 (cameras send no B-frames and we write no composition offsets, spec
    /// 4.5) and a pixel format: testsrc is RGB, so without -pix_fmt x264 picks 4:4:4 (High 4:4:4 Predictive).
    /// That case is kept too: its avcC lacks the optional chroma fields (see InitSegmentWriter.WriteAvcC).
    /// </summary>
    private byte[] Encode(string pixelFormat)
    {
        string file = Path.Combine(_dir, pixelFormat + ".h264");
        if (!File.Exists(file))
        {
            var r = ToolRun.Complete("ffmpeg", ["-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x480:rate=30",
                "-frames:v", Frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264",
                "-g", "30", "-bf", "0", "-pix_fmt", pixelFormat, "-f", "h264", file], ToolTimeout);
            Assert.That(r.ExitCode, Is.Zero, "ffmpeg could not encode the test stream: " + r.StdErr);
        }
        return File.ReadAllBytes(file);
    }

    private string WriteMp4(string pixelFormat, int rotation)
    {
        List<AnnexBTestSplitter.AccessUnit> units = AnnexBTestSplitter.AccessUnits(Encode(pixelFormat));
        Assert.That(units, Has.Count.EqualTo(Frames), "test splitter found a different number of access units");

        byte[]? sps = null, pps = null;
        foreach (byte[] nal in AnnexBTestSplitter.SplitNals(Encode(pixelFormat)))
        {
            if ((nal[0] & 0x1F) == 7) sps ??= nal;
            if ((nal[0] & 0x1F) == 8) pps ??= nal;
        }
        Assert.That(sps, Is.Not.Null);
        Assert.That(pps, Is.Not.Null);

        string path = Path.Combine(_dir, $"{pixelFormat}-rot{rotation}.mp4");
        using var file = File.Create(path);
        file.Write(InitSegmentWriter.Build(new InitSegmentParameters(sps, pps, 640, 480, Timescales.Video, rotation)));
        var timeline = new SampleTimeline(Timescales.Video, 30);
        var buffer = new byte[1 << 20];
        const long start = 7_000_000_000;
        for (int i = 0; i < units.Count; i++)
        {
            byte[] sample = units[i].Avcc;
            sample.CopyTo(buffer, FragmentWriter.HeaderSize);
            SampleTime t = timeline.Next(start + (i * 1_000_000L + 15) / 30);
            int header = FragmentWriter.WriteHeader(buffer, (uint)i + 1, t.DecodeTime, t.Duration, units[i].IsIdr, sample.Length);
            file.Write(buffer, 0, header + sample.Length);
        }
        return path;
    }

    private static Dictionary<string, string> Probe(string path)
    {
        var r = ToolRun.Complete("ffprobe", ["-v", "error", "-select_streams", "v:0", "-count_frames",
            "-show_entries", "stream=codec_name,profile,width,height,nb_read_frames,r_frame_rate:stream_side_data=side_data_type,rotation",
            "-of", "default=noprint_wrappers=1", path], ToolTimeout);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(r.StdErr, Is.Empty);
        return ToolRun.KeyValues(r.StdOut);
    }

    private static void AssertDecodesCleanly(string path)
    {
        var r = ToolRun.Complete("ffmpeg", ["-nostdin", "-v", "error", "-xerror", "-i", path, "-f", "null", "-"], ToolTimeout);
        Assert.That(r.ExitCode, Is.Zero, r.StdErr);
        Assert.That(r.StdErr, Is.Empty);
    }

    [TestCase("yuv420p", "High")]
    [TestCase("yuv444p", "High 4:4:4 Predictive")]
    public void FfprobeReadsEveryFrame(string pixelFormat, string profile)
    {
        string path = WriteMp4(pixelFormat, 0);
        var p = Probe(path);
        Assert.That(p.GetValueOrDefault("codec_name"), Is.EqualTo("h264"));
        Assert.That(p.GetValueOrDefault("profile"), Is.EqualTo(profile));
        Assert.That(p.GetValueOrDefault("width"), Is.EqualTo("640"));
        Assert.That(p.GetValueOrDefault("height"), Is.EqualTo("480"));
        Assert.That(p.GetValueOrDefault("nb_read_frames"), Is.EqualTo("90"));
        Assert.That(p.GetValueOrDefault("r_frame_rate"), Is.EqualTo("30/1"));
        Assert.That(p.ContainsKey("rotation"), Is.False, "no display matrix side data expected without rotation");
        AssertDecodesCleanly(path);
    }

    private int ReportedRotation(int rotation)
    {
        string path = WriteMp4("yuv420p", rotation);
        var p = Probe(path);
        Assert.That(p.GetValueOrDefault("side_data_type"), Is.EqualTo("Display Matrix"), $"rotation {rotation}");
        Assert.That(p.GetValueOrDefault("width"), Is.EqualTo("640"), "width stays the coded picture's");
        Assert.That(p.GetValueOrDefault("nb_read_frames"), Is.EqualTo("90"));
        AssertDecodesCleanly(path);
        return (int)double.Parse(p.GetValueOrDefault("rotation") ?? "nan", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public void FfprobeSeesTheRotation()
    {
        // FFmpeg 5.1 reports counter-clockwise degrees (-90 for our clockwise 90). Either sign convention is
        // accepted, but 90 and 270 must come out as opposite quarter turns, so a swapped matrix fails.
        int r90 = ReportedRotation(90);
        int r180 = ReportedRotation(180);
        int r270 = ReportedRotation(270);
        Assert.That(Math.Abs(r90), Is.EqualTo(90), "rotation 90");
        Assert.That(r270, Is.EqualTo(-r90), "rotation 270");
        Assert.That(Math.Abs(r180), Is.EqualTo(180), "rotation 180");
    }
}
