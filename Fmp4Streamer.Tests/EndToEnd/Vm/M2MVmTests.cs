using System.Globalization;
using System.Text.RegularExpressions;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The daemon's M2M stages on real kernel codecs, in one boot (tests/vm/payloads/m2m.sh): vivid's camera → vicodec's
/// stateful encoder (YUYV → FWHT) → vicodec's stateful decoder (FWHT → YUYV), driven by tests/vm/M2MCheck (the
/// daemon's BufferQueue, M2MStage and event loop), for every link combination (copy = MMAP on both sides, import =
/// DMABUF of the upstream's exported buffer), single-planar and then multi-planar (vicodec multiplanar=1).
/// </summary>
[Category("Vm")]
public class M2MVmTests
{
    private const int Width = 640;
    private const int Height = 480;
    private const int FramesAsked = 45;  // m2m.sh's --frames; the checker adds 10 warm-up frames
    private static readonly string[] s_planarities = ["single", "multi"];
    private static readonly string[] s_links = ["copy,copy", "copy,import", "import,copy", "import,import"];

    private VmSession _vm = null!;
    private int _exitCode;
    private readonly Dictionary<string, byte[]> _dumps = new();

    public static IEnumerable<TestCaseData> Chains()
    {
        foreach (string planarity in s_planarities)
            foreach (string links in s_links)
                yield return new TestCaseData(planarity, links).SetName($"Chain_{planarity}_{links.Replace(',', '_')}");
    }

    [OneTimeSetUp]
    public void BootOnce()
    {
        Assert.That(File.Exists(VmRig.M2MCheckBinary), Is.True, $"{VmRig.M2MCheckBinary} missing: build it with make m2mcheck");
        _vm = new VmSession("m2m", VmRig.PayloadPath("m2m.sh"), [VmRig.M2MCheckBinary], 300);
        if (_vm.TryWaitFor("RIG-MARK dumps-ready", 240) != null)
        {
            foreach (string planarity in s_planarities)
                foreach (string side in new[] { "captured", "decoded" })
                {
                    string name = $"{planarity}-{side}.raw";
                    _dumps[name] = _vm.Fetch(name);
                    File.WriteAllBytes(Path.Combine(VmRig.ResultsDir, "m2m." + name), _dumps[name]);
                }
            _vm.Signal("fetched");
        }
        _exitCode = _vm.WaitForExit(120);
        foreach (string planarity in s_planarities)
            _vm.SaveSections("m2m", [$"{planarity}-encoder-info", .. s_links.Select(l => $"{planarity}-{l}"), $"{planarity}-restart"]);
        TestContext.Progress.WriteLine($"M2M VM: {_vm.Elapsed.TotalSeconds:F1} s");
    }

    [OneTimeTearDown]
    public void PowerOff() => _vm?.Dispose();

    private M2MCheckResult Result(string section)
    {
        SectionOutput output = _vm.RequireSection(section);
        M2MCheckResult? result = M2MCheckResult.Find(output.Text);
        Assert.That(result, Is.Not.Null, $"{section}: no M2M-RESULT line:\n{output.Text}");
        Assert.That(result!["failure"], Is.EqualTo("none"), output.Text);
        Assert.That(output.ExitCode, Is.EqualTo(0), output.Text);
        return result;
    }

    [Test]
    public void PayloadCompletes() => Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());

    [TestCaseSource(nameof(Chains))]
    public void EveryFrameComesBackDecodedWithItsTimestampAndPicture(string planarity, string links)
    {
        M2MCheckResult r = Result($"{planarity}-{links}");
        string mplane = planarity == "multi" ? "1" : "0";
        Assert.Multiple(() =>
        {
            Assert.That((r["mode"], r["enc_mplane"], r["dec_mplane"]), Is.EqualTo((links, mplane, mplane)), "the API the device offered");
            Assert.That(r["camera"], Is.EqualTo($"YUYV_{Width}x{Height}"));
            Assert.That(r["encoded_format"], Is.EqualTo($"FWHT_{Width}x{Height}"));
            Assert.That(r["decoded_format"], Is.EqualTo($"YUYV_{Width}x{Height}"), "the configured format, asked for again after the decoder's source change");
            Assert.That(r.Long("source_changes"), Is.EqualTo(1), "vicodec's decoder announces the stream once");
            Assert.That(r.Long("decoded"), Is.GreaterThanOrEqualTo(FramesAsked));
            Assert.That(r.Long("encoded"), Is.GreaterThanOrEqualTo(r.Long("decoded")));
            Assert.That(r.Long("captured"), Is.GreaterThanOrEqualTo(r.Long("encoded")));
            Assert.That(r.Long("encoded_bytes_avg"), Is.InRange(1000, Width * Height * 2 / 4), "compressed, but not empty");
            Assert.That(r.Long("decoded_wrong_size"), Is.EqualTo(0), $"every decoded frame is {Width * Height * 2} bytes");
            Assert.That(r.Long("ts_matched"), Is.EqualTo(r.Long("decoded")), "every decoded frame carries a captured frame's timestamp");
            Assert.That(r.Long("ts_unknown"), Is.EqualTo(0));
            Assert.That(r.Long("ts_out_of_order"), Is.EqualTo(0));
            // The camera's picture moves every frame: a decoded frame resembles its own captured frame (FWHT at its
            // default QP keeps ~37 dB) far more than the frame captured just before it (~19 dB).
            Assert.That(r.Double("psnr_avg"), Is.GreaterThanOrEqualTo(30));
            Assert.That(r.Double("psnr_min"), Is.GreaterThan(r.Double("neighbour_psnr_max") + 3));
        });
        TestContext.Progress.WriteLine($"{planarity} {links}: {r}");
    }

    [TestCaseSource(nameof(s_planarities))]
    public void AChainStoppedAndStartedAgainStreams(string planarity)
    {
        M2MCheckResult r = Result($"{planarity}-restart");
        Assert.That(r.Long("decoded"), Is.GreaterThanOrEqualTo(15));
        Assert.That(r.Long("ts_unknown") + r.Long("ts_out_of_order") + r.Long("decoded_wrong_size"), Is.EqualTo(0), r.Line);
    }

    [TestCaseSource(nameof(s_planarities))]
    public void TheCodecOffersTheApiTheTestMeans(string planarity)
    {
        string info = _vm.RequireSection($"{planarity}-encoder-info").Text;
        Assert.That(info, Does.Contain("Driver name      : vicodec"));
        if (planarity == "multi") Assert.That(info, Does.Contain("Video Memory-to-Memory Multiplanar"));
        else Assert.That(info, Does.Not.Contain("Multiplanar"));
    }

    /// <summary>ffmpeg, not our code, judges one matched pair: the decoded picture is the captured one within FWHT's loss.</summary>
    [TestCaseSource(nameof(s_planarities))]
    public void FfmpegSeesTheCapturedPictureInTheDecodedFrame(string planarity)
    {
        Assert.That(_dumps.ContainsKey($"{planarity}-decoded.raw"), Is.True, $"no frame pair fetched:\n{_vm.Tail()}");
        byte[] captured = _dumps[$"{planarity}-captured.raw"];
        byte[] decoded = _dumps[$"{planarity}-decoded.raw"];
        Assert.That((captured.Length, decoded.Length), Is.EqualTo((Width * Height * 2, Width * Height * 2)));
        Assert.That(captured.Distinct().Count(), Is.GreaterThan(16), "the camera's picture has content");
        string a = Path.Combine(VmRig.ResultsDir, $"m2m.{planarity}-captured.raw");
        string b = Path.Combine(VmRig.ResultsDir, $"m2m.{planarity}-decoded.raw");
        string[] input = ["-f", "rawvideo", "-pix_fmt", "yuyv422", "-s", $"{Width}x{Height}", "-i"];
        ToolResult psnr = ToolRun.Complete("ffmpeg", ["-hide_banner", "-nostats", .. input, a, .. input, b, "-lavfi", "psnr", "-f", "null", "-"],
            TimeSpan.FromSeconds(60));
        Match m = Regex.Match(psnr.StdErr, @"PSNR y:([\d.]+|inf) u:([\d.]+|inf) v:([\d.]+|inf) average:([\d.]+)");
        Assert.That(m.Success, Is.True, psnr.StdErr);
        double average = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        TestContext.Progress.WriteLine($"{planarity}: ffmpeg PSNR captured vs decoded {m.Value}");
        Assert.That(average, Is.GreaterThanOrEqualTo(30), m.Value);
    }
}
