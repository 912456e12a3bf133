using System.Globalization;
using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;
using static Fmp4Streamer.Tests.H264.TestBytes;

namespace Fmp4Streamer.Tests.H264;

public class SpsTests
{
    // x264 streams: profile, size, x264 params, then the coded (macroblock) size the SPS must declare.
    private static readonly TestCaseData[] s_x264Cases =
    [
        new TestCaseData("baseline", 320, 240, "", 320, 240).SetName("x264 baseline 320x240"),
        new TestCaseData("main", 640, 360, "", 640, 368).SetName("x264 main 640x360 cropped from 368"),
        new TestCaseData("high", 1920, 1080, "", 1920, 1088).SetName("x264 high 1920x1080 cropped from 1088"),
        new TestCaseData("high", 1920, 1080, "interlaced=1", 1920, 1088).SetName("x264 high interlaced 1080 (field crop units)"),
        new TestCaseData("high422", 320, 241, "", 320, 256).SetName("x264 high 4:2:2 odd height"),
        new TestCaseData("high444", 321, 241, "", 336, 256).SetName("x264 high 4:4:4 odd width and height"),
        new TestCaseData("high", 1280, 720, "", 1280, 720).SetName("x264 high 1280x720"),
    ];

    [TestCaseSource(nameof(s_x264Cases))]
    public void ParsesX264SpsLikeFfprobe(string profile, int width, int height, string x264Params, int codedWidth, int codedHeight)
    {
        string path = FfmpegFixtures.EncodeH264(profile, width, height, 2, x264Params);
        var spsNal = AnnexB.FindNal(File.ReadAllBytes(path), NalUnitType.Sps).ToArray();
        var probe = FfmpegFixtures.ProbeStream(path);

        Assert.That(Sps.TryParse(spsNal, out var sps), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(sps.Width, Is.EqualTo(int.Parse(probe["width"])), "width");
            Assert.That(sps.Height, Is.EqualTo(int.Parse(probe["height"])), "height");
            Assert.That((sps.Width, sps.Height), Is.EqualTo((width, height)));
            Assert.That((sps.CodedWidth, sps.CodedHeight), Is.EqualTo((codedWidth, codedHeight)));
            Assert.That(ProfileName(sps), Is.EqualTo(probe["profile"]), "profile");
            Assert.That(sps.LevelIdc, Is.EqualTo(int.Parse(probe["level"])), "level");
            Assert.That(sps.MaxNumRefFrames, Is.EqualTo(int.Parse(probe["refs"])), "refs");
            Assert.That(sps.BitDepthLuma, Is.EqualTo(int.Parse(probe["bits_per_raw_sample"])), "bit depth");
            Assert.That(ChromaName(sps.ChromaFormatIdc), Is.EqualTo(probe["pix_fmt"]), "chroma format");
            Assert.That(sps.FrameMbsOnly, Is.EqualTo(probe["field_order"] == "progressive"), "frame_mbs_only");
            Assert.That(sps.FrameRate, Is.EqualTo(FrameRate(probe["r_frame_rate"])), "frame rate");
            Assert.That(sps.CodecsString,
                Is.EqualTo($"avc1.{ProfileIdcFromName(probe["profile"]):x2}{spsNal[2]:x2}{int.Parse(probe["level"]):x2}"));
        });
    }

    [Test]
    public void X264BaselineIsConstrainedWithPocType2()
    {
        var spsNal = AnnexB.FindNal(File.ReadAllBytes(FfmpegFixtures.EncodeH264("baseline", 320, 240, 2)), NalUnitType.Sps);
        Assert.That(Sps.TryParse(spsNal, out var sps), Is.True);
        Assert.That(sps.CodecsString, Is.EqualTo("avc1.42c00d"));
        Assert.That(sps.PicOrderCntType, Is.EqualTo(2), "x264 uses type 2 without B-frames");
        Assert.That(sps.TimingInfoPresent && sps.FixedFrameRate is false, Is.True);
        Assert.That((sps.NumUnitsInTick, sps.TimeScale), Is.EqualTo((1u, 60u)));
    }

    [Test]
    public void X264HighWithBFramesUsesPocType0()
    {
        var spsNal = AnnexB.FindNal(File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 1920, 1080, 2)), NalUnitType.Sps);
        Assert.That(Sps.TryParse(spsNal, out var sps), Is.True);
        Assert.That(sps.PicOrderCntType, Is.EqualTo(0));
        Assert.That(sps.Log2MaxPicOrderCntLsb, Is.GreaterThanOrEqualTo(4));
        Assert.That(sps.FrameCropBottomOffset, Is.EqualTo(4), "8 lines in 4:2:0 crop units of 2");
        Assert.That(sps.CodecsString, Is.EqualTo("avc1.640028"));
        Assert.That((sps.SarWidth, sps.SarHeight), Is.EqualTo((1, 1)));
    }

    [Test]
    public void X264InterlacedCropsInUnitsOfFourLines()
    {
        var spsNal = AnnexB.FindNal(File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 1920, 1080, 2, "interlaced=1")), NalUnitType.Sps);
        Assert.That(Sps.TryParse(spsNal, out var sps), Is.True);
        Assert.That(sps.FrameMbsOnly, Is.False);
        Assert.That(sps.MbAdaptiveFrameField, Is.True);
        Assert.That(sps.PicHeightInMapUnits, Is.EqualTo(34));
        Assert.That(sps.FrameCropBottomOffset, Is.EqualTo(2));
    }

    // The Raspberry Pi encoder's SPS (High, level 4.2, VUI with bitstream restrictions only); values confirmed
    // with ffprobe (see ProbeSpliced below).
    private static readonly byte[] s_piSps = Hex("27 64 00 2a ac 2b 40 28 02 dd 00 f1 22 6a");

    [Test]
    public void ParsesTheRaspberryPiSps()
    {
        Assert.That(Sps.TryParse(s_piSps, out var sps), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(sps.ProfileIdc, Is.EqualTo(100));
            Assert.That(sps.ConstraintFlags, Is.EqualTo(0));
            Assert.That(sps.LevelIdc, Is.EqualTo(42));
            Assert.That(sps.CodecsString, Is.EqualTo("avc1.64002a"));
            Assert.That(sps.ChromaFormatIdc, Is.EqualTo(1));
            Assert.That(sps.Log2MaxFrameNum, Is.EqualTo(8));
            Assert.That(sps.PicOrderCntType, Is.EqualTo(2));
            Assert.That(sps.MaxNumRefFrames, Is.EqualTo(1));
            Assert.That((sps.Width, sps.Height), Is.EqualTo((1280, 720)));
            Assert.That((sps.CodedWidth, sps.CodedHeight), Is.EqualTo((1280, 720)));
            Assert.That(sps.FrameMbsOnly, Is.True);
            Assert.That(sps.TimingInfoPresent, Is.False);
            Assert.That(sps.FrameRate, Is.Null);
        });
        var probe = ProbeSpliced(s_piSps);
        Assert.That((probe["profile"], probe["level"], probe["width"], probe["height"]), Is.EqualTo(("High", "42", "1280", "720")));
    }

    /// <summary>Hand-written SPSs for paths x264 never takes, each checked against ffprobe too.</summary>
    private static IEnumerable<TestCaseData> HandWrittenCases()
    {
        // Main, pic_order_cnt_type 1 with a 3-entry cycle, 176x144 (QCIF), timing 30000/1001 fields per tick.
        var w = new TestBitWriter().Bits(77, 8).Bits(0x40, 8).Bits(21, 8).Ue(0) // profile, flags, level, id (0: the PPS spliced after it refers to 0)
            .Ue(2).Ue(1) // log2_max_frame_num_minus4, pic_order_cnt_type
            .Flag(false).Se(-2).Se(1).Ue(3).Se(5).Se(-7).Se(300) // type 1 fields and offset_for_ref_frame[]
            .Ue(3).Flag(false).Ue(10).Ue(8).Flag(true).Flag(true).Flag(false) // refs, gaps, 11x9 MBs, frame_mbs, 8x8, crop
            .Flag(true) // vui
            .Flag(false).Flag(false).Flag(false).Flag(false) // aspect, overscan, video signal, chroma loc
            .Flag(true).Bits(1001, 32).Bits(60000, 32).Flag(true) // timing
            .Flag(true).Ue(1).Bits(2, 4).Bits(3, 4) // nal_hrd_parameters: two CPBs
            .Ue(1999).Ue(4999).Flag(false).Ue(3999).Ue(9999).Flag(true).Bits(23, 5).Bits(23, 5).Bits(23, 5).Bits(24, 5)
            .Flag(false).Flag(false).Flag(false) // vcl_hrd, low_delay_hrd, pic_struct_present
            .Flag(true).Flag(true).Ue(2).Ue(1).Ue(16).Ue(16).Ue(0).Ue(3) // bitstream_restriction, no reordering
            .Trailing();
        yield return new TestCaseData(w.ToNal(0x67), new Expected(176, 144, 176, 144, PocType: 1, FrameRate: 60000 / 2002.0,
            Codecs: "avc1.4d4015", SarWidth: 0, SarHeight: 0)).SetName("main poc type 1 QCIF 29.97");

        // High with scaling matrices (two 4x4 lists and one 8x8 list sent), 1280x720, extended SAR 4:3.
        w = new TestBitWriter().Bits(100, 8).Bits(0, 8).Bits(31, 8).Ue(0)
            .Ue(1).Ue(0).Ue(0).Flag(false) // chroma 4:2:0, 8-bit, no bypass
            .Flag(true) // seq_scaling_matrix_present_flag
            .Flag(true);
        for (int j = 0; j < 16; j++) w.Se(j % 2 == 0 ? 3 : -1); // list 0 with deltas
        w.Flag(false).Flag(false).Flag(true).Se(-8); // list 3: delta to 0 ends the list (use default)
        w.Flag(false).Flag(false).Flag(true);
        for (int j = 0; j < 64; j++) w.Se(j == 0 ? 8 : 1); // list 6 (8x8 intra Y)
        w.Flag(false); // list 7
        w.Ue(0).Ue(0).Ue(4).Ue(0).Flag(false).Ue(79).Ue(44).Flag(true).Flag(true).Flag(false)
            .Flag(true) // vui
            .Flag(true).Bits(255, 8).Bits(4, 16).Bits(3, 16) // extended SAR
            .Flag(true).Flag(false) // overscan
            .Flag(true).Bits(5, 3).Flag(true).Flag(true).Bits(1, 8).Bits(1, 8).Bits(1, 8) // video signal + colour
            .Flag(true).Ue(0).Ue(0) // chroma loc
            .Flag(true).Bits(1, 32).Bits(50, 32).Flag(true)
            .Flag(false).Flag(false).Flag(false).Flag(false).Trailing();
        yield return new TestCaseData(w.ToNal(0x67), new Expected(1280, 720, 1280, 720, PocType: 0, FrameRate: 25,
            Codecs: "avc1.64001f", SarWidth: 4, SarHeight: 3)).SetName("high scaling matrices extended SAR 25 fps");

        // Field coding with MBAFF, 720x576 coded as 18 map units of 32 lines, cropped by 1 unit (4 lines) top
        // and bottom and by 8 pixels left and right.
        w = new TestBitWriter().Bits(77, 8).Bits(0, 8).Bits(30, 8).Ue(0)
            .Ue(0).Ue(2).Ue(2).Flag(false).Ue(44).Ue(17).Flag(false).Flag(true).Flag(true)
            .Flag(true).Ue(4).Ue(4).Ue(1).Ue(1) // crop left/right (x2), top/bottom (x4)
            .Flag(false).Trailing();
        yield return new TestCaseData(w.ToNal(0x67), new Expected(704, 568, 720, 576, PocType: 2, FrameRate: null,
            Codecs: "avc1.4d001e", SarWidth: 0, SarHeight: 0)).SetName("interlaced MBAFF cropped on all sides");
    }

    public sealed record Expected(int Width, int Height, int CodedWidth, int CodedHeight, int PocType, double? FrameRate,
        string Codecs, int SarWidth, int SarHeight);

    [TestCaseSource(nameof(HandWrittenCases))]
    public void ParsesHandWrittenSps(byte[] nal, Expected expected)
    {
        Assert.That(Sps.TryParse(nal, out var sps), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That((sps.Width, sps.Height), Is.EqualTo((expected.Width, expected.Height)));
            Assert.That((sps.CodedWidth, sps.CodedHeight), Is.EqualTo((expected.CodedWidth, expected.CodedHeight)));
            Assert.That(sps.PicOrderCntType, Is.EqualTo(expected.PocType));
            Assert.That(sps.FrameRate, Is.EqualTo(expected.FrameRate).Within(1e-9));
            Assert.That(sps.CodecsString, Is.EqualTo(expected.Codecs));
            Assert.That((sps.SarWidth, sps.SarHeight), Is.EqualTo((expected.SarWidth, expected.SarHeight)));
        });
        var probe = ProbeSpliced(nal);
        Assert.Multiple(() =>
        {
            Assert.That(probe["width"], Is.EqualTo(expected.Width.ToString(CultureInfo.InvariantCulture)), "ffprobe width");
            Assert.That(probe["height"], Is.EqualTo(expected.Height.ToString(CultureInfo.InvariantCulture)), "ffprobe height");
            Assert.That(probe["level"], Is.EqualTo(sps.LevelIdc.ToString(CultureInfo.InvariantCulture)), "ffprobe level");
            Assert.That(probe["profile"], Is.EqualTo(ProfileName(sps)), "ffprobe profile");
        });
    }

    /// <summary>Every SPS the tests use, with the stream ffmpeg traces it in.</summary>
    private static IEnumerable<TestCaseData> TracedCases()
    {
        foreach (var c in s_x264Cases)
        {
            string name = c.TestName!.Replace("x264 ", "traced x264 ");
            yield return new TestCaseData(c.Arguments[0], c.Arguments[1], c.Arguments[2], c.Arguments[3], null).SetName(name);
        }
        yield return new TestCaseData("", 0, 0, "", s_piSps).SetName("traced Raspberry Pi");
        foreach (var c in HandWrittenCases())
        {
            yield return new TestCaseData("", 0, 0, "", c.Arguments[0]).SetName("traced " + c.TestName);
        }
    }

    /// <summary>Each field against FFmpeg's trace_headers bitstream filter, an independent SPS parser.</summary>
    [TestCaseSource(nameof(TracedCases))]
    public void FieldsMatchFfmpegTraceHeaders(string profile, int width, int height, string x264Params, byte[]? spsNal)
    {
        byte[] stream = spsNal is null
            ? File.ReadAllBytes(FfmpegFixtures.EncodeH264(profile, width, height, 2, x264Params))
            : Splice(spsNal);
        var nal = AnnexB.FindNal(stream, NalUnitType.Sps).ToArray();
        var t = FfmpegTrace.FirstSection(stream, "Sequence Parameter Set");
        Assert.That(Sps.TryParse(nal, out var sps), Is.True);

        long Field(string name, long absent = 0) => t.TryGetValue(name, out long v) ? v : absent;
        int? Optional(string name) => t.TryGetValue(name, out long v) ? (int)v : null;
        int constraintByte = 0;
        for (int i = 0; i < 6; i++) constraintByte |= (int)Field($"constraint_set{i}_flag") << (7 - i);
        constraintByte |= (int)Field("reserved_zero_2bits");
        bool aspectFromIdc = Field("aspect_ratio_info_present_flag") == 1 && Field("aspect_ratio_idc") != 255;
        Assert.Multiple(() =>
        {
            Assert.That(sps.ProfileIdc, Is.EqualTo(Field("profile_idc")), "profile_idc");
            Assert.That(sps.ConstraintFlags, Is.EqualTo(constraintByte), "constraint flags");
            Assert.That(sps.LevelIdc, Is.EqualTo(Field("level_idc")), "level_idc");
            Assert.That(sps.SeqParameterSetId, Is.EqualTo(Field("seq_parameter_set_id")), "seq_parameter_set_id");
            Assert.That(sps.ChromaFormatIdc, Is.EqualTo(Field("chroma_format_idc", 1)), "chroma_format_idc");
            Assert.That(sps.SeparateColourPlane, Is.EqualTo(Field("separate_colour_plane_flag") == 1), "separate_colour_plane");
            Assert.That(sps.BitDepthLuma, Is.EqualTo(8 + Field("bit_depth_luma_minus8")), "bit depth luma");
            Assert.That(sps.BitDepthChroma, Is.EqualTo(8 + Field("bit_depth_chroma_minus8")), "bit depth chroma");
            Assert.That(sps.Log2MaxFrameNum, Is.EqualTo(4 + Field("log2_max_frame_num_minus4")), "log2_max_frame_num");
            Assert.That(sps.PicOrderCntType, Is.EqualTo(Field("pic_order_cnt_type")), "pic_order_cnt_type");
            Assert.That(sps.Log2MaxPicOrderCntLsb,
                Is.EqualTo(sps.PicOrderCntType == 0 ? 4 + Field("log2_max_pic_order_cnt_lsb_minus4") : 0), "log2_max_poc_lsb");
            Assert.That(sps.MaxNumRefFrames, Is.EqualTo(Field("max_num_ref_frames")), "max_num_ref_frames");
            Assert.That(sps.GapsInFrameNumValueAllowed, Is.EqualTo(Field("gaps_in_frame_num_allowed_flag") == 1), "gaps");
            Assert.That(sps.PicWidthInMbs, Is.EqualTo(1 + Field("pic_width_in_mbs_minus1")), "width in MBs");
            Assert.That(sps.PicHeightInMapUnits, Is.EqualTo(1 + Field("pic_height_in_map_units_minus1")), "height in map units");
            Assert.That(sps.FrameMbsOnly, Is.EqualTo(Field("frame_mbs_only_flag") == 1), "frame_mbs_only");
            Assert.That(sps.MbAdaptiveFrameField, Is.EqualTo(Field("mb_adaptive_frame_field_flag") == 1), "mbaff");
            Assert.That(sps.Direct8x8Inference, Is.EqualTo(Field("direct_8x8_inference_flag") == 1), "direct_8x8");
            Assert.That(sps.FrameCropLeftOffset, Is.EqualTo(Field("frame_crop_left_offset")), "crop left");
            Assert.That(sps.FrameCropRightOffset, Is.EqualTo(Field("frame_crop_right_offset")), "crop right");
            Assert.That(sps.FrameCropTopOffset, Is.EqualTo(Field("frame_crop_top_offset")), "crop top");
            Assert.That(sps.FrameCropBottomOffset, Is.EqualTo(Field("frame_crop_bottom_offset")), "crop bottom");
            if (!aspectFromIdc)
            {
                Assert.That(sps.SarWidth, Is.EqualTo(Field("sar_width")), "sar_width");
                Assert.That(sps.SarHeight, Is.EqualTo(Field("sar_height")), "sar_height");
            }
            Assert.That(sps.TimingInfoPresent, Is.EqualTo(Field("timing_info_present_flag") == 1), "timing_info_present");
            Assert.That(sps.NumUnitsInTick, Is.EqualTo(Field("num_units_in_tick")), "num_units_in_tick");
            Assert.That(sps.TimeScale, Is.EqualTo(Field("time_scale")), "time_scale");
            Assert.That(sps.FixedFrameRate, Is.EqualTo(Field("fixed_frame_rate_flag") == 1), "fixed_frame_rate");
            Assert.That(sps.MaxNumReorderFrames, Is.EqualTo(Optional("max_num_reorder_frames")), "max_num_reorder_frames");
            Assert.That(sps.MaxDecFrameBuffering, Is.EqualTo(Optional("max_dec_frame_buffering")), "max_dec_frame_buffering");
        });
    }

    [Test]
    public void EmulationPreventionInsideTheSpsIsSkipped()
    {
        // num_units_in_tick = 1 is 31 zero bits then a one: the coded NAL must carry 00 00 03.
        var w = new TestBitWriter().Bits(66, 8).Bits(0xC0, 8).Bits(40, 8).Ue(5).Ue(0).Ue(2)
            .Ue(1).Flag(false).Ue(119).Ue(67).Flag(true).Flag(true).Flag(true).Ue(0).Ue(0).Ue(0).Ue(4)
            .Flag(true).Flag(false).Flag(false).Flag(false).Flag(false).Flag(true).Bits(1, 32).Bits(50, 32).Flag(false)
            .Flag(false).Flag(false).Flag(false).Flag(false).Trailing();
        var nal = w.ToNal(0x67);
        Assert.That(nal.Length, Is.GreaterThan(w.ToRbsp().Length + 1), "the case must contain emulation prevention");
        Assert.That(Sps.TryParse(nal, out var sps), Is.True);
        Assert.That((sps.Width, sps.Height, sps.SeqParameterSetId, sps.FrameRate), Is.EqualTo((1920, 1080, 5, 25.0)));
        Assert.That(sps.CodecsString, Is.EqualTo("avc1.42c028"));
    }

    private static readonly TestCaseData[] s_invalidCases =
    [
        new TestCaseData("").SetName("empty"),
        new TestCaseData("68 64 00 2a ac 2b 40 28 02 dd 00").SetName("a PPS header"),
        new TestCaseData("27 64 00").SetName("cut in the profile bytes"),
        new TestCaseData("27 64 00 2a ac 2b 40").SetName("cut in the size"),
        new TestCaseData("27 64 00 2a ac 2b 40 28 02").SetName("cut before frame_mbs_only"),
        new TestCaseData("27 64 00 2a 00 00 00 00 00 80").SetName("sps id beyond 32 bits"),
        new TestCaseData("27 64 00 2a 84").SetName("sps id 32"),
        new TestCaseData("27 64 00 2a 90").SetName("chroma_format_idc 4 (ue 00101)"),
    ];

    [TestCaseSource(nameof(s_invalidCases))]
    public void RejectsInvalidSps(string hex)
    {
        Assert.That(Sps.TryParse(Hex(hex), out var sps), Is.False);
        Assert.That(sps, Is.EqualTo(default(Sps)));
    }

    [Test]
    public void TruncatedVuiKeepsTheCoreFields()
    {
        // The Pi SPS cut inside its VUI (bitstream_restriction) still gives the size.
        Assert.That(Sps.TryParse(s_piSps.AsSpan(0, 11), out var sps), Is.True);
        Assert.That((sps.Width, sps.Height), Is.EqualTo((1280, 720)));
    }

    [Test]
    public void NeverThrowsOnMutatedSps()
    {
        var sources = new List<byte[]> { s_piSps };
        foreach (var profile in new[] { "baseline", "high", "high444" })
        {
            var path = FfmpegFixtures.EncodeH264(profile, profile == "high444" ? 321 : 320, 240, 2);
            sources.Add(AnnexB.FindNal(File.ReadAllBytes(path), NalUnitType.Sps).ToArray());
        }
        foreach (var c in HandWrittenCases()) sources.Add((byte[])c.Arguments[0]!);

        var random = new Random(20261124);
        int parsed = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] nal = Mutate(sources[i % sources.Count], random);
            bool ok = false;
            Sps sps = default;
            Assert.DoesNotThrow(() => ok = Sps.TryParse(nal, out sps), $"mutation {i}: {ToHex(nal)}");
            if (!ok) continue;
            parsed++;
            Assert.That(sps.Width > 0 && sps.Height > 0 && sps.Width <= sps.CodedWidth && sps.Height <= sps.CodedHeight,
                Is.True, $"mutation {i}: {ToHex(nal)}");
            Assert.That(sps.CodecsString, Has.Length.EqualTo(11));
        }
        Assert.That(parsed, Is.InRange(100, 9_900), "mutations should produce both valid and invalid SPSs");
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var bytes = new List<byte>(source);
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(1, Math.Max(2, bytes.Count));
            switch (random.Next(5))
            {
                case 0 when at < bytes.Count: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when at < bytes.Count: bytes[at] = (byte)random.Next(256); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.Insert(Math.Min(at, bytes.Count), (byte)random.Next(256)); break;
                default: bytes.InsertRange(Math.Min(at, bytes.Count), new byte[] { 0, 0, 3 }); break;
            }
        }
        return bytes.ToArray();
    }

    /// <summary>
    /// ffprobe's view of an SPS: it replaces the SPS of a small x264 stream, whose slices then decode to garbage
    /// but whose stream parameters come from this SPS.
    /// </summary>
    private static Dictionary<string, string> ProbeSpliced(byte[] spsNal)
    {
        string path = FfmpegFixtures.WriteTemp("spliced.h264", Splice(spsNal));
        try
        {
            return ToolRun.KeyValues(ToolRun.Output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                "stream=profile,level,width,height", "-of", "default=noprint_wrappers=1", "-f", "h264", path]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A small x264 stream with its SPS replaced by <paramref name="spsNal"/> (which must have id 0).</summary>
    private static byte[] Splice(byte[] spsNal)
    {
        var data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 2));
        int pps = IndexOfNal(data, NalUnitType.Pps);
        Assert.That(pps, Is.GreaterThan(0));
        var spliced = new List<byte> { 0, 0, 0, 1 };
        spliced.AddRange(spsNal);
        spliced.AddRange(new byte[] { 0, 0, 0, 1 });
        spliced.AddRange(data.AsSpan(pps).ToArray());
        return spliced.ToArray();
    }

    private static int IndexOfNal(byte[] data, NalUnitType type)
    {
        var e = AnnexB.EnumerateNals(data);
        while (e.MoveNext())
        {
            if (NalUnit.TypeOf(e.Current[0]) == type) return e.CurrentOffset;
        }
        return -1;
    }

    /// <summary>FFmpeg's profile names (libavcodec/profiles.c) for the profiles tested here.</summary>
    private static string ProfileName(Sps sps) => sps.ProfileIdc switch
    {
        66 when (sps.ConstraintFlags & 0x40) != 0 => "Constrained Baseline",
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => "High 10",
        122 => "High 4:2:2",
        244 => "High 4:4:4 Predictive",
        _ => sps.ProfileIdc.ToString(CultureInfo.InvariantCulture),
    };

    private static int ProfileIdcFromName(string name) => name switch
    {
        "Constrained Baseline" or "Baseline" => 66,
        "Main" => 77,
        "Extended" => 88,
        "High" => 100,
        "High 10" => 110,
        "High 4:2:2" => 122,
        "High 4:4:4 Predictive" => 244,
        _ => throw new ArgumentException(name),
    };

    private static string ChromaName(int chromaFormatIdc) => chromaFormatIdc switch
    {
        0 => "gray",
        1 => "yuv420p",
        2 => "yuv422p",
        _ => "yuv444p",
    };

    private static double? FrameRate(string rational)
    {
        var parts = rational.Split('/');
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }
}
