using Fmp4Streamer.H264.Decoding;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>Decoded pictures leave in display order, held no longer than the reorder depth allows.</summary>
public class OutputReorderBufferTests
{
    private static DecodedPicture Picture(int poc)
    {
        var picture = new DecodedPicture(16, 16);
        picture.PicOrderCnt = poc;
        return picture;
    }

    private static List<int> Drain(Queue<DecodedPicture> output)
    {
        var pocs = new List<int>();
        while (output.TryDequeue(out DecodedPicture? picture)) pocs.Add(picture.PicOrderCnt);
        return pocs;
    }

    [Test]
    public void BFramesComeOutInPictureOrderCountOrder()
    {
        var buffer = new OutputReorderBuffer();
        var output = new Queue<DecodedPicture>();
        // Decode order I0 P6 B2 B4 P12 B8 B10 with two B-frames: depth 2.
        var shown = new List<int>();
        foreach (int poc in new[] { 0, 6, 2, 4, 12, 8, 10 })
        {
            buffer.Add(Picture(poc), 2, output);
            shown.AddRange(Drain(output));
            Assert.That(buffer.Count, Is.LessThanOrEqualTo(2), "no more pictures wait than the depth");
        }
        Assert.That(shown, Is.EqualTo(new[] { 0, 2, 4, 6, 8 }));
        buffer.Flush(output);
        shown.AddRange(Drain(output));
        Assert.That(shown, Is.EqualTo(new[] { 0, 2, 4, 6, 8, 10, 12 }));
    }

    [Test]
    public void DepthZeroOutputsAtOnceWithRisingIndexes()
    {
        var buffer = new OutputReorderBuffer();
        var output = new Queue<DecodedPicture>();
        DecodedPicture a = Picture(0), b = Picture(2);
        buffer.Add(a, 0, output);
        buffer.Add(b, 0, output);
        Assert.That(output.Count, Is.EqualTo(2));
        Assert.That(b.OutputIndex, Is.EqualTo(a.OutputIndex + 1));
    }

    [Test]
    public void AHugeCodedDepthIsClamped()
    {
        var buffer = new OutputReorderBuffer();
        var output = new Queue<DecodedPicture>();
        for (int i = 0; i < 40; i++) buffer.Add(Picture(i), int.MaxValue, output);
        Assert.That(buffer.Count, Is.EqualTo(OutputReorderBuffer.MaxDepth));
        Assert.That(Drain(output), Is.EqualTo(Enumerable.Range(0, 40 - OutputReorderBuffer.MaxDepth)));
    }
}
