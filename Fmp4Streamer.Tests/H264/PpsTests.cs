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

    /// <summary>A PPS without the optional tail: ids, CAVLC, one slice group, defaults elsewhere.</summary>
    private static TestBitWriter ShortPps(uint ppsId, uint spsId) => new TestBitWriter().Ue(ppsId).Ue(spsId)
        .Flag(true).Flag(false).Ue(0)      // CABAC, no bottom POC, one slice group
        .Ue(2).Ue(0)                       // num_ref_idx_l0/l1_default_active_minus1
        .Flag(true).Bits(2, 2)             // weighted_pred, weighted_bipred_idc 2
        .Se(-3).Se(0).Se(-2)               // pic_init_qp_minus26, pic_init_qs_minus26, chroma_qp_index_offset
        .Flag(true).Flag(false).Flag(true); // deblocking control, constrained intra, redundant_pic_cnt

    [Test]
    public void ParsesHandWrittenIds()
    {
        var nal = ShortPps(200, 31).Trailing().ToNal(0x68);
        Assert.That(Pps.TryParse(nal, out var pps), Is.True);
        Assert.That(pps, Is.EqualTo(new Pps
        {
            PicParameterSetId = 200, SeqParameterSetId = 31, EntropyCodingModeFlag = true, NumSliceGroups = 1,
            NumRefIdxL0DefaultActive = 3, NumRefIdxL1DefaultActive = 1, WeightedPred = true, WeightedBipredIdc = 2,
            PicInitQp = 23, PicInitQs = 26, ChromaQpIndexOffset = -2, SecondChromaQpIndexOffset = -2,
            DeblockingFilterControlPresent = true, RedundantPicCntPresent = true,
        }));
    }

    [Test]
    public void ParsesTheOptionalTailWithScalingLists()
    {
        // transform_8x8_mode, pic_scaling_matrix_present, list 0 coded (deltas), list 1 "use default", list 6 coded flat-ish.
        var w = ShortPps(1, 0).Flag(true).Flag(true);
        w.Flag(true);
        for (int i = 0; i < 16; i++) w.Se(i == 0 ? 2 : 1);       // list 0: 10, 11, 12, ...
        w.Flag(true).Se(-8);                                       // list 1: next 0 at j = 0 -> Default_4x4_Intra
        for (int i = 2; i < 6; i++) w.Flag(false);                 // lists 2..5 absent
        w.Flag(true).Se(8);                                        // list 6: 16 then repeat (next 0 ends the deltas)
        w.Se(-16);
        w.Flag(false);                                             // list 7 absent
        w.Se(5);                                                   // second_chroma_qp_index_offset
        Assert.That(Pps.TryParse(w.Trailing().ToNal(0x68), out var pps), Is.True);
        Assert.That(pps.Transform8x8Mode && pps.PicScalingMatrixPresent, Is.True);
        Assert.That(pps.SecondChromaQpIndexOffset, Is.EqualTo(5));
        Assert.That(pps.ScalingListPresentMask, Is.EqualTo(0b0100_0011));

        var flatSps = default(Sps);
        var m = pps.ScalingMatrixFor(flatSps);
        Assert.That(m.List4x4(0).ToArray(), Is.EqualTo(Enumerable.Range(10, 16).Select(v => (byte)v).ToArray()));
        Assert.That(m.List4x4(1).ToArray(), Is.EqualTo(ScalingMatrix.Default4x4Intra.ToArray()), "use default");
        Assert.That(m.List4x4(2).ToArray(), Is.EqualTo(ScalingMatrix.Default4x4Intra.ToArray()), "rule A: the previous list");
        Assert.That(m.List4x4(3).ToArray(), Is.EqualTo(ScalingMatrix.Default4x4Inter.ToArray()), "rule A: the inter default");
        Assert.That(m.List4x4(5).ToArray(), Is.EqualTo(ScalingMatrix.Default4x4Inter.ToArray()));
        Assert.That(m.List8x8(0).ToArray(), Is.EqualTo(Enumerable.Repeat((byte)16, 64).ToArray()));
        Assert.That(m.List8x8(1).ToArray(), Is.EqualTo(ScalingMatrix.Default8x8Inter.ToArray()));
    }

    [Test]
    public void WithoutPicListsThePictureUsesTheSequenceLists()
    {
        Assert.That(Pps.TryParse(ShortPps(0, 0).Trailing().ToNal(0x68), out var pps), Is.True);
        Assert.That(pps.ScalingMatrixFor(default(Sps)), Is.EqualTo(ScalingMatrix.Flat));
    }

    [Test]
    public void RejectsOutOfRangeIds()
    {
        Assert.That(Pps.TryParse(ShortPps(0, 32).Trailing().ToNal(0x68), out _), Is.False);
        Assert.That(Pps.TryParse(ShortPps(256, 0).Trailing().ToNal(0x68), out _), Is.False);
    }

    [TestCase("")]
    [TestCase("68")]
    [TestCase("67 ce 3c 80")]
    [TestCase("68 00 00 00 00 80")]
    public void RejectsInvalidPps(string hex) => Assert.That(Pps.TryParse(Hex(hex), out _), Is.False);
}
