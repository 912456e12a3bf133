using Fmp4Streamer.H264;
using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>B slices' initial reference lists order the frames by picture order count around the current picture.</summary>
public class BSliceReferenceListTests
{
    private const int MaxFrameNum = 16;

    /// <summary>Reference frames decoded in order with these order counts (frame_num 0, 1, 2, ...).</summary>
    private static DecodedPictureBuffer Buffer(params int[] pocs)
    {
        var dpb = new DecodedPictureBuffer();
        for (int i = 0; i < pocs.Length; i++)
        {
            var picture = new DecodedPicture(16, 16) { PicOrderCnt = pocs[i] };
            var header = new SliceHeader { NalUnitType = i == 0 ? NalUnitType.Idr : NalUnitType.Slice, NalRefIdc = 1, FrameNum = i };
            dpb.MarkDecoded(picture, header, 4, MaxFrameNum);
        }
        return dpb;
    }

    private static (int?[] L0, int?[] L1) Lists(DecodedPictureBuffer dpb, int currPoc, int active0, int active1)
    {
        var list0 = new DecodedPicture?[33];
        var list1 = new DecodedPicture?[33];
        var none = new RefPicListModification();
        Assert.That(dpb.BuildBLists(currPoc, 3, MaxFrameNum, none, none, active0, active1, list0, list1), Is.True);
        return (list0.Take(4).Select(p => p?.PicOrderCnt).ToArray(), list1.Take(4).Select(p => p?.PicOrderCnt).ToArray());
    }

    [Test]
    public void ListZeroStartsWithEarlierFramesAndListOneWithLaterOnes()
    {
        var (l0, l1) = Lists(Buffer(0, 16, 8), 4, 3, 3);
        Assert.That(l0, Is.EqualTo(new int?[] { 0, 8, 16, null }));
        Assert.That(l1, Is.EqualTo(new int?[] { 8, 16, 0, null }));

        (l0, l1) = Lists(Buffer(0, 16, 8), 12, 3, 3);
        Assert.That(l0, Is.EqualTo(new int?[] { 8, 0, 16, null }));
        Assert.That(l1, Is.EqualTo(new int?[] { 16, 8, 0, null }));
    }

    [Test]
    public void ListOneEqualToListZeroHasItsFirstTwoSwapped()
    {
        var (l0, l1) = Lists(Buffer(0, 8, 16), 20, 3, 1);
        Assert.That(l0, Is.EqualTo(new int?[] { 16, 8, 0, null }));
        Assert.That(l1, Is.EqualTo(new int?[] { 8, null, null, null }), "swapped before truncation to one entry");
    }
}
