using Fmp4Streamer.H264;

namespace Fmp4Streamer.Tests.H264;

public class PictureOrderCounterTests
{
    /// <summary>
    /// x264 codes picture order type 0 (with B-frames) as twice the display index since the IDR: the counts must give
    /// back the presentation times ffmpeg's MP4 muxer wrote for the same stream.
    /// </summary>
    [TestCase("poc-bpyramid", "high", "bframes=3:b-adapt=0:b-pyramid=normal:keyint=40", 0)]
    [TestCase("poc-bframes-strict", "main", "bframes=2:b-pyramid=strict:keyint=25:ref=3", 0)]
    [TestCase("poc-baseline", "baseline", "keyint=35", 2)]
    [TestCase("poc-nob", "high", "bframes=0:keyint=30", 2)]
    public void CountsGiveX264PresentationOrder(string name, string profile, string x264Params, int pocType)
    {
        var stream = X264Fixtures.Encode(name, 120, profile, x264Params);
        Assert.That(Sps.TryParse(AnnexB.FindNal(stream.AnnexB, NalUnitType.Sps), out var sps), Is.True);
        Assert.That(Pps.TryParse(AnnexB.FindNal(stream.AnnexB, NalUnitType.Pps), out var pps), Is.True);
        Assert.That(sps.PicOrderCntType, Is.EqualTo(pocType));
        var counter = new PictureOrderCounter();
        var header = new SliceHeader();
        long idrPts = 0;
        int idrPoc = 0, idrs = 0;
        for (int i = 0; i < stream.AccessUnits.Count; i++)
        {
            Assert.That(SliceHeaderParser.TryParse(FirstSlice(stream.AccessUnits[i]), sps, pps, header), Is.True);
            Assert.That(counter.TryCount(sps, header, out var count), Is.True);
            if (count.RestartsOrder)
            {
                idrPts = stream.PresentationFrames[i];
                idrPoc = count.PicOrderCnt;
                idrs++;
            }
            Assert.That(count.PicOrderCnt - idrPoc, Is.EqualTo(2 * (stream.PresentationFrames[i] - idrPts)), $"access unit {i}");
        }
        Assert.That(idrs, Is.GreaterThanOrEqualTo(3));
    }

    // (IDR, reference, pic_order_cnt_lsb, expected PicOrderCnt) for MaxPicOrderCntLsb 16: a step of half the range
    // or more is a wrap (0 after 8 is 16; 10 after 0 is -6 + 32 = 26; 2 after 10 is 34).
    private static readonly (bool Idr, bool Ref, int Lsb, int Poc)[] s_type0Wrap =
    [
        (true, true, 0, 0), (false, true, 8, 8), (false, false, 4, 4), (false, true, 0, 16), (false, false, 12, 12),
        (false, true, 8, 24), (false, false, 6, 22), (false, true, 0, 32), (false, true, 10, 26), (false, true, 2, 34),
        (true, true, 0, 0), (false, true, 14, -2),
    ];

    [Test]
    public void Type0WrapsTheLsbBothWays()
    {
        var sps = new Sps { PicOrderCntType = 0, Log2MaxPicOrderCntLsb = 4, Log2MaxFrameNum = 4, FrameMbsOnly = true };
        var counter = new PictureOrderCounter();
        foreach (var (idr, reference, lsb, poc) in s_type0Wrap)
        {
            var h = Header(idr, reference, frameNum: 0);
            h.PicOrderCntLsb = lsb;
            Assert.That(counter.TryCount(sps, h, out var count), Is.True);
            Assert.That(count.PicOrderCnt, Is.EqualTo(poc), $"lsb {lsb}");
        }
    }

    [Test]
    public void Type0BottomFieldDeltaCountsInTheMinimum()
    {
        var sps = new Sps { PicOrderCntType = 0, Log2MaxPicOrderCntLsb = 6, Log2MaxFrameNum = 4 };
        var counter = new PictureOrderCounter();
        var h = Header(true, true, 0);
        h.PicOrderCntLsb = 4;
        h.DeltaPicOrderCntBottom = -1;
        Assert.That(counter.TryCount(sps, h, out var count), Is.True);
        Assert.That((count.TopFieldOrderCnt, count.BottomFieldOrderCnt, count.PicOrderCnt), Is.EqualTo((4, 3, 3)));
    }

    [Test]
    public void Type0Mmco5RestartsCountingFromThePicture()
    {
        var sps = new Sps { PicOrderCntType = 0, Log2MaxPicOrderCntLsb = 4, Log2MaxFrameNum = 4 };
        var counter = new PictureOrderCounter();
        Count(counter, sps, Header(true, true, 0), lsb: 0);
        Assert.That(Count(counter, sps, Header(false, true, 1), lsb: 6).PicOrderCnt, Is.EqualTo(6));
        var reset = Count(counter, sps, WithMmco5(Header(false, true, 2)), lsb: 12);
        Assert.That((reset.PicOrderCnt, reset.RestartsOrder), Is.EqualTo((12, true)), "decoded with its own count");
        // After the reset the previous LSB is 0, not 12: LSB 2 is 2, not 18 (12 -> 2 would otherwise be a wrap).
        Assert.That(Count(counter, sps, Header(false, true, 1), lsb: 2).PicOrderCnt, Is.EqualTo(2));
        Assert.That(Count(counter, sps, Header(false, false, 2), lsb: 14).PicOrderCnt, Is.EqualTo(-2));
    }

    [Test]
    public void Type1FollowsTheCycleOfExpectedOffsets()
    {
        var offsets = default(OffsetForRefFrameTable);
        offsets[0] = 3;
        offsets[1] = 1;
        var sps = new Sps
        {
            PicOrderCntType = 1, Log2MaxFrameNum = 4, OffsetForNonRefPic = -2, OffsetForTopToBottomField = 1,
            NumRefFramesInPicOrderCntCycle = 2, OffsetForRefFrame = offsets, ExpectedDeltaPerPicOrderCntCycle = 4,
        };
        var counter = new PictureOrderCounter();
        // absFrameNum 0 -> 0; 1 -> 3; 2 -> 4; 3 -> 7; 15 -> 7 cycles + 3 = 31; 16 (frame_num wrapped) -> 32;
        // non-reference: absFrameNum - 1, plus -2.
        (bool Idr, bool Ref, int FrameNum, int Delta0, int Top)[] steps =
        [
            (true, true, 0, 0, 0), (false, true, 1, 0, 3), (false, false, 2, 0, 1), (false, true, 2, 0, 4),
            (false, true, 3, 5, 12), (false, true, 15, 0, 31), (false, true, 0, 0, 32), (false, false, 1, 0, 30),
        ];
        foreach (var (idr, reference, frameNum, delta0, top) in steps)
        {
            var h = Header(idr, reference, frameNum);
            h.DeltaPicOrderCnt0 = delta0;
            Assert.That(counter.TryCount(sps, h, out var count), Is.True);
            Assert.That((count.TopFieldOrderCnt, count.BottomFieldOrderCnt), Is.EqualTo((top, top + 1)), $"frame_num {frameNum}");
        }
    }

    [Test]
    public void Type2CountsFrameNumbersAcrossTheWrap()
    {
        var sps = new Sps { PicOrderCntType = 2, Log2MaxFrameNum = 4 };
        var counter = new PictureOrderCounter();
        Assert.That(Count(counter, sps, Header(true, true, 0)).PicOrderCnt, Is.EqualTo(0));
        for (int n = 1; n < 16; n++) Assert.That(Count(counter, sps, Header(false, true, n)).PicOrderCnt, Is.EqualTo(2 * n));
        Assert.That(Count(counter, sps, Header(false, true, 0)).PicOrderCnt, Is.EqualTo(32), "frame_num wrapped: offset 16");
        Assert.That(Count(counter, sps, Header(false, false, 1)).PicOrderCnt, Is.EqualTo(33), "non-reference: one less");
        Assert.That(Count(counter, sps, Header(false, true, 1)).PicOrderCnt, Is.EqualTo(34));
        Assert.That(Count(counter, sps, WithMmco5(Header(false, true, 2))).PicOrderCnt, Is.EqualTo(36));
        Assert.That(Count(counter, sps, Header(false, true, 1)).PicOrderCnt, Is.EqualTo(2), "operation 5 zeroed the offset");
    }

    [Test]
    public void FieldPicturesAreRefused()
    {
        var h = Header(true, true, 0);
        h.FieldPic = true;
        Assert.That(new PictureOrderCounter().TryCount(new Sps { PicOrderCntType = 0, Log2MaxPicOrderCntLsb = 4 }, h, out _), Is.False);
    }

    private static PictureOrderCount Count(PictureOrderCounter counter, Sps sps, SliceHeader h, int lsb = 0)
    {
        h.PicOrderCntLsb = lsb;
        Assert.That(counter.TryCount(sps, h, out var count), Is.True);
        return count;
    }

    private static SliceHeader Header(bool idr, bool reference, int frameNum) => new()
    {
        NalUnitType = idr ? NalUnitType.Idr : NalUnitType.Slice,
        NalRefIdc = reference ? 2 : 0,
        FrameNum = frameNum,
    };

    private static SliceHeader WithMmco5(SliceHeader h)
    {
        byte[] rbsp = new TestBitWriter().Flag(true).Ue(5).Ue(0).Trailing().ToRbsp(); // adaptive, operation 5, end
        var r = new BitReader(rbsp);
        Assert.That(h.DecRefPicMarking.TryRead(ref r, idr: false), Is.True);
        Assert.That(h.HasMmco5, Is.True);
        return h;
    }

    private static ReadOnlySpan<byte> FirstSlice(byte[] accessUnit)
    {
        foreach (var nal in AnnexB.EnumerateNals(accessUnit))
            if (NalUnit.TypeOf(nal[0]).IsVcl()) return nal;
        Assert.Fail("no slice");
        return default;
    }
}
