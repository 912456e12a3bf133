using Fmp4Streamer.H264.TestPattern;

namespace Fmp4Streamer.Tests.H264.TestPattern;

public class TestPatternStripTests
{
    private const long WallClock = 0xFEDC_BA98_7654;   // uses all 48 bits

    private static IEnumerable<TestCaseData> Widths()
    {
        yield return new TestCaseData(160, 128, 8, 20, 5).SetName("160 wide: 8-pixel cells, 5 rows");
        yield return new TestCaseData(330, 250, 8, 41, 3).SetName("330 wide: 8-pixel cells, 3 rows");
        yield return new TestCaseData(640, 480, 16, 40, 3).SetName("640 wide: macroblock cells, 3 rows");
        yield return new TestCaseData(1280, 720, 16, 80, 2).SetName("1280 wide: macroblock cells, 2 rows");
        yield return new TestCaseData(1920, 1080, 16, 120, 1).SetName("1920 wide: macroblock cells, 1 row");
    }

    [TestCaseSource(nameof(Widths))]
    public void LayoutFollowsTheWidth(int width, int height, int cell, int perRow, int rows)
    {
        Assert.That(TestPatternStrip.Layout.CellSize(width), Is.EqualTo(cell));
        Assert.That(TestPatternStrip.Layout.CellsPerRow(width), Is.EqualTo(perRow));
        Assert.That(TestPatternStrip.Layout.Rows(width), Is.EqualTo(rows));
        Assert.That(TestPatternStrip.Layout.Height(width), Is.LessThanOrEqualTo(height / 2));
    }

    [TestCaseSource(nameof(Widths))]
    public void PaintedStripReadsBack(int width, int height, int cell, int perRow, int rows)
    {
        var painter = new TestPatternPainter(width, height);
        foreach (long frame in new long[] { 0, 1, 0x7FFF_FFFF, 0xFFFF_FFFF })
        {
            painter.Paint(frame, WallClock + frame);
            Assert.That(Read(painter, out long readFrame, out long readMs), Is.True);
            Assert.That(readFrame, Is.EqualTo(frame));
            Assert.That(readMs, Is.EqualTo(WallClock + frame));
        }
    }

    [Test]
    public void OnlyTheLow32BitsOfTheFrameNumberAreSent()
    {
        var painter = new TestPatternPainter(640, 480);
        painter.Paint(0x1_0000_0005, WallClock);
        Assert.That(Read(painter, out long frame, out _), Is.True);
        Assert.That(frame, Is.EqualTo(5));
    }

    [TestCaseSource(nameof(Widths))]
    public void EverySingleFlippedBitIsRejected(int width, int height, int cell, int perRow, int rows)
    {
        var painter = new TestPatternPainter(width, height);
        painter.Paint(123_456, WallClock);
        YuvPlanes picture = painter.Picture;
        for (int bit = 0; bit < TestPatternStrip.Layout.TotalBits; bit++)
        {
            int x = bit % perRow * cell, y = bit / perRow * cell;
            byte old = picture.Y[y * picture.Width + x];
            byte flipped = old >= TestPatternStrip.Layout.Threshold ? TestPatternStrip.Layout.ZeroLuma : TestPatternStrip.Layout.OneLuma;
            picture.Fill(x, y, cell, cell, flipped, 128, 128);
            Assert.That(Read(painter, out _, out _), Is.False, $"bit {bit} flipped");
            picture.Fill(x, y, cell, cell, old, 128, 128);
        }
        Assert.That(Read(painter, out long frame, out _), Is.True, "restored strip reads again");
        Assert.That(frame, Is.EqualTo(123_456));
    }

    [TestCase((byte)0)]
    [TestCase((byte)16)]
    [TestCase((byte)128)]
    [TestCase((byte)235)]
    [TestCase((byte)255)]
    public void BlankFramesAreRejected(byte value)
    {
        byte[] luma = new byte[640 * 480];
        luma.AsSpan().Fill(value);
        Assert.That(TestPatternStrip.TryRead(luma, 640, 480, 640, out _, out _), Is.False);
    }

    [Test]
    public void RandomNoiseIsRejected()
    {
        var random = new Random(42);
        byte[] luma = new byte[320 * 240];
        int accepted = 0;
        for (int i = 0; i < 1000; i++)
        {
            random.NextBytes(luma);
            if (TestPatternStrip.TryRead(luma, 320, 240, 320, out _, out _)) accepted++;
        }
        // Sync byte and CRC-8 together pass noise with probability 2^-16.
        Assert.That(accepted, Is.Zero);
    }

    [TestCase(640, 20, 640, 640 * 20)]
    [TestCase(640, 480, 600, 640 * 480)]
    [TestCase(640, 480, 640, 1000)]
    public void ImpossibleGeometryIsRejected(int width, int height, int stride, int length)
    {
        Assert.That(TestPatternStrip.TryRead(new byte[length], width, height, stride, out _, out _), Is.False);
    }

    [Test]
    public void ReaderHonoursTheStride()
    {
        var painter = new TestPatternPainter(320, 240);
        painter.Paint(77, WallClock);
        int stride = 400;
        byte[] padded = new byte[stride * 240];
        for (int y = 0; y < 240; y++) painter.Picture.Y.AsSpan(y * painter.Picture.Width, 320).CopyTo(padded.AsSpan(y * stride));
        Assert.That(TestPatternStrip.TryRead(padded, 320, 240, stride, out long frame, out long ms), Is.True);
        Assert.That((frame, ms), Is.EqualTo((77L, WallClock)));
    }

    [Test]
    public void CrcMatchesTheCrc8Check()
    {
        // CRC-8 (poly 0x07, init 0): the catalogue check value of "123456789" is 0xF4.
        Assert.That(TestPatternStrip.Crc8("123456789"u8), Is.EqualTo(0xF4));
    }

    private static bool Read(TestPatternPainter painter, out long frame, out long ms) =>
        TestPatternStrip.TryRead(painter.Picture.Y, painter.Width, painter.Height, painter.Picture.Width, out frame, out ms);
}
