using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;
using static Fmp4Streamer.Tests.H264.TestBytes;

namespace Fmp4Streamer.Tests.H264;

public class PpsTests
{
    [TestCase("baseline", "", false)]
    [TestCase("main", "", true)]
    [TestCase("high", "interlaced=1", true)]
    public void MatchesFfmpegTraceHeaders(string profile, string x264Params, bool cabac)
    {
        var stream = File.ReadAllBytes(FfmpegFixtures.EncodeH264(profile, 320, 240, 2, x264Params));
        var t = FfmpegTrace.FirstSection(stream, "Picture Parameter Set");
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        Assert.That(pps.PicParameterSetId, Is.EqualTo(t["pic_parameter_set_id"]));
        Assert.That(pps.SeqParameterSetId, Is.EqualTo(t["seq_parameter_set_id"]));
        Assert.That(pps.EntropyCodingModeFlag, Is.EqualTo(t["entropy_coding_mode_flag"] == 1));
        Assert.That(pps.EntropyCodingModeFlag, Is.EqualTo(cabac), "x264 uses CABAC above baseline");
        Assert.That(pps.BottomFieldPicOrderInFramePresent, Is.EqualTo(t["bottom_field_pic_order_in_frame_present_flag"] == 1));
    }

    [Test]
    public void ParsesHandWrittenIds()
    {
        var nal = new TestBitWriter().Ue(200).Ue(31).Flag(true).Flag(false).Ue(0).Trailing().ToNal(0x68);
        Assert.That(Pps.TryParse(nal, out var pps), Is.True);
        Assert.That(pps, Is.EqualTo(new Pps { PicParameterSetId = 200, SeqParameterSetId = 31, EntropyCodingModeFlag = true }));
    }

    [Test]
    public void RejectsOutOfRangeIds()
    {
        Assert.That(Pps.TryParse(new TestBitWriter().Ue(0).Ue(32).Flag(true).Flag(false).Trailing().ToNal(0x68), out _), Is.False);
        Assert.That(Pps.TryParse(new TestBitWriter().Ue(256).Ue(0).Flag(true).Flag(false).Trailing().ToNal(0x68), out _), Is.False);
    }

    [TestCase("")]
    [TestCase("68")]
    [TestCase("67 ce 3c 80")]
    [TestCase("68 00 00 00 00 80")]
    public void RejectsInvalidPps(string hex) => Assert.That(Pps.TryParse(Hex(hex), out _), Is.False);
}
