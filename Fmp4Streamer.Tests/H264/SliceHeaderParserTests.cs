using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264;

public class SliceHeaderParserTests
{
    /// <summary>x264 streams that between them code every part of the slice header x264 writes.</summary>
    private static readonly TestCaseData[] s_streams =
    [
        new TestCaseData("bpyramid.h264", "high", "bframes=3:b-adapt=0:b-pyramid=normal:ref=4:weightp=2:keyint=30")
            .SetName("x264 high, 3 B-frames, b-pyramid, 4 refs, weightp 2 (list modification, MMCO, P weights)"),
        new TestCaseData("cavlc-slices.h264", "main", "cabac=0:slices=4:bframes=2:ref=2")
            .SetName("x264 main, CAVLC, 4 slices, 2 B-frames"),
        new TestCaseData("baseline.h264", "baseline", "keyint=20").SetName("x264 baseline (POC type 2)"),
        new TestCaseData("mbaff.h264", "high", "interlaced=1:bframes=2").SetName("x264 high MBAFF (bottom field POC delta)"),
        new TestCaseData("cqm.h264", "high", "cqm=jvt:deblock=-3,-3:bframes=1").SetName("x264 high, JVT matrices, deblock -3:-3"),
        new TestCaseData("nodeblock.h264", "high", "no-deblock=1:weightb=1:direct=temporal:bframes=3")
            .SetName("x264 high, deblocking off, implicit B weights, temporal direct"),
        new TestCaseData("intrarefresh.h264", "high", "intra-refresh=1:bframes=0:keyint=15").SetName("x264 high, intra refresh"),
    ];

    private static byte[] Stream(string name, string profile, string x264Params) => File.ReadAllBytes(FfmpegFixtures.Encode(
        name, "-frames:v", "45", "-c:v", "libx264", "-profile:v", profile, "-x264-params", x264Params, "-f", "h264"));

    [TestCaseSource(nameof(s_streams))]
    public void EverySliceHeaderMatchesFfmpegTrace(string name, string profile, string x264Params)
    {
        byte[] stream = Stream(name, profile, x264Params);
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        var traces = FfmpegTrace.Sections(stream, "Slice Header");
        var header = new SliceHeader();
        int slices = 0;
        foreach (var nal in AnnexB.EnumerateNals(stream))
        {
            if (!NalUnit.TypeOf(nal[0]).IsVcl()) continue;
            Assert.That(slices, Is.LessThan(traces.Count), "ffmpeg traced fewer slices");
            var trace = traces[slices++];
            Assert.That(SliceHeaderParser.TryParse(nal, sps, pps, header), Is.True, $"slice {slices}");
            var expected = trace.Where(f => f.Name is not ("forbidden_zero_bit" or "nal_ref_idc" or "nal_unit_type"
                or "cabac_alignment_one_bit")).Select(f => $"{StripIndex(f.Name)} = {f.Value}");
            var actual = SliceHeaderTrace.Of(header, sps, pps).Select(f => $"{f.Name} = {f.Value}");
            Assert.That(string.Join("\n", actual), Is.EqualTo(string.Join("\n", expected)), $"slice {slices}");
            Assert.That(header.NalRefIdc, Is.EqualTo(trace.First(f => f.Name == "nal_ref_idc").Value));

            // CABAC slice data starts after the alignment bits, where ffmpeg's trace of the header ends.
            var alignment = trace.FirstOrDefault(f => f.Name == "cabac_alignment_one_bit");
            if (alignment.Name is not null) Assert.That(header.HeaderBitLength, Is.EqualTo(alignment.Bit - 8), "header length");
        }
        Assert.That(slices, Is.EqualTo(traces.Count));
        Assert.That(slices, Is.GreaterThanOrEqualTo(45));
    }

    [Test]
    public void TheStreamsCoverModificationsMarkingAndWeights()
    {
        // Guards the table above: if x264 stopped writing these, the trace comparison would test less than it claims.
        byte[] stream = Stream("bpyramid.h264", "high", "bframes=3:b-adapt=0:b-pyramid=normal:ref=4:weightp=2:keyint=30");
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        var header = new SliceHeader();
        bool modification = false, mmco = false, weights = false, b = false;
        foreach (var nal in AnnexB.EnumerateNals(stream))
        {
            if (!NalUnit.TypeOf(nal[0]).IsVcl()) continue;
            Assert.That(SliceHeaderParser.TryParse(nal, sps, pps, header), Is.True);
            modification |= header.RefPicListModificationL0.Count > 0;
            mmco |= header.DecRefPicMarking.Count > 0;
            weights |= header.HasPredWeightTable && header.PredWeightTable.CountL0 > 0 && header.PredWeightTable.L0(0).LumaWeightFlag;
            b |= header.SliceType == SliceType.B;
        }
        Assert.That((modification, mmco, weights, b), Is.EqualTo((true, true, true, true)));
    }

    [TestCaseSource(nameof(s_streams))]
    public void ParameterSetsMatchFfmpegTrace(string name, string profile, string x264Params)
    {
        byte[] stream = Stream(name, profile, x264Params);
        var s = FfmpegTrace.FirstSection(stream, "Sequence Parameter Set");
        var p = FfmpegTrace.FirstSection(stream, "Picture Parameter Set");
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(sps.Log2MaxFrameNum, Is.EqualTo(s["log2_max_frame_num_minus4"] + 4));
            Assert.That(sps.PicOrderCntType, Is.EqualTo(s["pic_order_cnt_type"]));
            if (sps.PicOrderCntType == 0) Assert.That(sps.Log2MaxPicOrderCntLsb, Is.EqualTo(s["log2_max_pic_order_cnt_lsb_minus4"] + 4));
            Assert.That(sps.FrameMbsOnly, Is.EqualTo(s["frame_mbs_only_flag"] == 1));
            Assert.That(sps.SeqScalingMatrixPresent, Is.EqualTo(s.GetValueOrDefault("seq_scaling_matrix_present_flag") == 1));
            Assert.That(sps.BitstreamRestriction, Is.EqualTo(s["bitstream_restriction_flag"] == 1));
            Assert.That(sps.MaxNumReorderFrames, Is.EqualTo((int)s["max_num_reorder_frames"]));
            Assert.That(sps.MaxDecFrameBuffering, Is.EqualTo((int)s["max_dec_frame_buffering"]));
            Assert.That(sps.ReorderDepth, Is.EqualTo((int)s["max_num_reorder_frames"]));

            Assert.That(pps.NumSliceGroups, Is.EqualTo(p["num_slice_groups_minus1"] + 1));
            Assert.That(pps.NumRefIdxL0DefaultActive, Is.EqualTo(p["num_ref_idx_l0_default_active_minus1"] + 1));
            Assert.That(pps.NumRefIdxL1DefaultActive, Is.EqualTo(p["num_ref_idx_l1_default_active_minus1"] + 1));
            Assert.That(pps.WeightedPred, Is.EqualTo(p["weighted_pred_flag"] == 1));
            Assert.That(pps.WeightedBipredIdc, Is.EqualTo(p["weighted_bipred_idc"]));
            Assert.That(pps.PicInitQp, Is.EqualTo(p["pic_init_qp_minus26"] + 26));
            Assert.That(pps.PicInitQs, Is.EqualTo(p["pic_init_qs_minus26"] + 26));
            Assert.That(pps.ChromaQpIndexOffset, Is.EqualTo(p["chroma_qp_index_offset"]));
            Assert.That(pps.DeblockingFilterControlPresent, Is.EqualTo(p["deblocking_filter_control_present_flag"] == 1));
            Assert.That(pps.ConstrainedIntraPred, Is.EqualTo(p["constrained_intra_pred_flag"] == 1));
            Assert.That(pps.RedundantPicCntPresent, Is.EqualTo(p["redundant_pic_cnt_present_flag"] == 1));
            Assert.That(pps.Transform8x8Mode, Is.EqualTo(p.GetValueOrDefault("transform_8x8_mode_flag") == 1));
            Assert.That(pps.PicScalingMatrixPresent, Is.EqualTo(p.GetValueOrDefault("pic_scaling_matrix_present_flag") == 1));
            Assert.That(pps.SecondChromaQpIndexOffset,
                Is.EqualTo(p.TryGetValue("second_chroma_qp_index_offset", out long second) ? second : p["chroma_qp_index_offset"]));
        });
    }

    [Test]
    public void JvtMatricesAreTheSequenceLists()
    {
        byte[] stream = Stream("cqm.h264", "high", "cqm=jvt:deblock=-3,-3:bframes=1");
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        // The JVT matrices are the defaults of Tables 7-3 and 7-4, however x264 codes them.
        var m = pps.ScalingMatrixFor(sps);
        Assert.That(m.List4x4(0).ToArray(), Is.EqualTo(ScalingMatrix.Default4x4Intra.ToArray()));
        Assert.That(m.List4x4(4).ToArray(), Is.EqualTo(ScalingMatrix.Default4x4Inter.ToArray()));
        Assert.That(m.List8x8(0).ToArray(), Is.EqualTo(ScalingMatrix.Default8x8Intra.ToArray()));
        Assert.That(m.List8x8(1).ToArray(), Is.EqualTo(ScalingMatrix.Default8x8Inter.ToArray()));
    }

    [Test]
    public void ParsingAllocatesNothing()
    {
        byte[] stream = Stream("bpyramid.h264", "high", "bframes=3:b-adapt=0:b-pyramid=normal:ref=4:weightp=2:keyint=30");
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        var header = new SliceHeader();
        var counter = new PictureOrderCounter();
        void ParseAll()
        {
            foreach (var nal in AnnexB.EnumerateNals(stream))
            {
                if (!NalUnit.TypeOf(nal[0]).IsVcl()) continue;
                if (!SliceHeaderParser.TryParse(nal, sps, pps, header)) Assert.Fail("parse");
                counter.TryCount(sps, header, out _);
            }
        }
        ParseAll();
        long bytes = AllocationProbe.MinimumBytes(5, () => { for (int i = 0; i < 20; i++) ParseAll(); });
        Assert.That(bytes, Is.Zero);
    }

    [Test]
    public void AMismatchedPpsIsRefused()
    {
        byte[] stream = Stream("baseline.h264", "baseline", "keyint=20");
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        var idr = AnnexB.FindNal(stream, NalUnitType.Idr);
        Assert.That(SliceHeaderParser.TryReadPicParameterSetId(idr, out int id) && id == pps.PicParameterSetId, Is.True);
        Assert.That(SliceHeaderParser.TryParse(idr, sps, pps with { PicParameterSetId = 3 }, new SliceHeader()), Is.False);
    }

    [Test]
    public void TruncatedAndMutatedSlicesNeverThrow()
    {
        byte[] stream = Stream("bpyramid.h264", "high", "bframes=3:b-adapt=0:b-pyramid=normal:ref=4:weightp=2:keyint=30");
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream, NalUnitType.Pps), out var pps), Is.True);
        var slices = new List<byte[]>();
        foreach (var nal in AnnexB.EnumerateNals(stream)) if (NalUnit.TypeOf(nal[0]).IsVcl()) slices.Add(nal[..Math.Min(nal.Length, 24)].ToArray());
        var random = new Random(9);
        var header = new SliceHeader();
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            byte[] nal = (byte[])slices[random.Next(slices.Count)].Clone();
            int length = random.Next(1, nal.Length + 1);
            for (int f = random.Next(3); f >= 0; f--) nal[random.Next(1, nal.Length)] ^= (byte)(1 << random.Next(8));
            if (!SliceHeaderParser.TryParse(nal.AsSpan(0, length), sps, pps, header)) refused++;
        }
        Assert.That(refused, Is.GreaterThan(0));
    }

    private static string StripIndex(string name) => name.Contains('[') ? name[..name.IndexOf('[')] : name;
}
