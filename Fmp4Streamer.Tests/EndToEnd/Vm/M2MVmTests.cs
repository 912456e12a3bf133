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
        Assert.That(File.Exists(VmRig.StreamerBinary), Is.True, $"{VmRig.StreamerBinary} missing: build it with ./build.sh");
        _vm = new VmSession("m2m", VmRig.PayloadPath("m2m.sh"), [VmRig.M2MCheckBinary, VmRig.StreamerBinary], 300);
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
        _vm.SaveSections("m2m", "encoder-L", "streamer-l-m2m", "streamer-l-m2m-set", "streamer-l-m2m-bad", "streamer-fwht-encoder");
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
            // vicodec's encoder starts a GOP of up to 16 frames (10 by default) with an I frame; the rest predict.
            Assert.That(r.Long("encoded_key_frames"), Is.InRange(r.Long("encoded") / 16, r.Long("encoded") - 1), "I and P frames");
            // A decoder that lost an encoded frame (every OUTPUT buffer busy, as on a loaded host) asks for a key frame
            // and feeds nothing until one comes: FWHT P frames decoded against a missing reference smear the picture.
            Assert.That(r.Long("keyframe_requests") > 0, Is.EqualTo(r.Long("dec_dropped_inputs") > 0), "a key frame asked for exactly when the decoder lost input");
            // The camera's picture moves every frame: a decoded frame resembles its own captured frame (FWHT at its
            // default QP keeps ~37 dB) far more than the frame captured just before it (~19 dB), also after a loss.
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

    /// <summary>The block of one device in a -l listing (from its Device: line to the empty line before the next).</summary>
    private static string Block(string listing, string device)
    {
        int start = listing.IndexOf($"Device: {device}\n", StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no block of {device}:\n{listing}");
        int end = listing.IndexOf("\n\nDevice: ", start, StringComparison.Ordinal);
        if (end < 0) end = listing.IndexOf("\n\nTo set one", start, StringComparison.Ordinal);
        return listing[start..(end + 1)];
    }

    private string Encoder => _vm.Console.Value("single_encoder") ?? "(encoder node not reported)";

    [Test]
    public void ListingShowsTheEncoderAfterTheCameraAsV4l2CtlSeesIt()
    {
        SectionOutput ours = _vm.RequireSection("streamer-l-m2m");
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.Text);
        Assert.That(ours.Text, Does.StartWith("Device: /dev/video0\nName: vivid\n"));
        Assert.That(ours.Text, Does.Contain($"\n\nDevice: {Encoder}\nName: vicodec\nDriver: vicodec\n\nControls\n"));
        Assert.That(ours.Text, Does.EndWith("\n\nTo set one, put ctrl_name = Value into /tmp/m2m.conf under the device\n"));
        List<string> diffs = ControlListingComparison.Differences(_vm.RequireSection("encoder-L").Text, Block(ours.Text, Encoder));
        Assert.That(diffs, Is.Empty, string.Join("\n", diffs));
    }

    [Test]
    public void TheEncodersOwnSectionSetsItsControls()
    {
        // M2M controls belong to the open file (one codec context each), so the daemon's listing is where they show.
        SectionOutput ours = _vm.RequireSection("streamer-l-m2m-set");
        Assert.That(ours.ExitCode, Is.EqualTo(0), ours.Text);
        string block = Block(ours.Text, Encoder);
        Assert.That(block, Does.Contain("\nfwht_p_frame_qp_value = 25\t( default: 20 min: 1 max: 31)\n"));
        Assert.That(block, Does.Contain("\nvideo_gop_size = 12\t( default: 10 min: 1 max: 16)\n"));
        Assert.That(block, Does.Contain("\nfwht_i_frame_qp_value = 20\t"), "untouched controls keep their values");
    }

    [Test]
    public void AnUnknownEncoderControlNamesTheLineAndTheValidOnes()
    {
        SectionOutput ours = _vm.RequireSection("streamer-l-m2m-bad");
        Assert.That(ours.ExitCode, Is.EqualTo(3), ours.Text);
        Assert.That(ours.Text, Does.Contain($"/tmp/m2m-bad.conf:11: {Encoder} has no control 'fwht_p_frame_qp_valu'; valid controls: " +
            "video_gop_size, fwht_i_frame_qp_value, fwht_p_frame_qp_value"));
        Assert.That(ours.Text, Does.Not.Contain("To set one"), "nothing listed after the error");
    }

    [Test]
    public void AnEncoderThatCannotMakeH264StopsStartUpSayingWhatItOffers()
    {
        SectionOutput run = _vm.RequireSection("streamer-fwht-encoder");
        Assert.That(run.ExitCode, Is.EqualTo(3), run.Text);
        Assert.That(run.Text, Does.Contain($"{Encoder}: H264 capture format not available (the driver offered FWHT 640x480)"));
    }
}
