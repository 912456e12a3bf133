using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Tests.Mp4;

public class BoxWriterTests
{
    [Test]
    public void IntegersAreBigEndian()
    {
        var buffer = new byte[32];
        var w = new BoxWriter(buffer);
        w.WriteU8(0x01);
        w.WriteU16(0x0203);
        w.WriteU32(0x04050607);
        w.WriteU64(0x08090A0B0C0D0E0F);
        w.WriteBytes([0xAA, 0xBB]);
        w.WriteZeros(3);
        Assert.That(w.Position, Is.EqualTo(1 + 2 + 4 + 8 + 2 + 3));
        Assert.That(Hex.Format(w.Written), Is.EqualTo("0102030405060708090a0b0c0d0e0faabb000000"));
    }

    [Test]
    public void WriteZerosClearsWhatWasThere()
    {
        var buffer = new byte[4];
        buffer.AsSpan().Fill(0xCA);
        var w = new BoxWriter(buffer);
        w.WriteZeros(3);
        Assert.That(Hex.Format(buffer), Is.EqualTo("000000ca"));
    }

    [Test]
    public void NestedBoxesGetTheirSizesBackPatched()
    {
        var buffer = new byte[64];
        buffer.AsSpan().Fill(0xCA); // poison: every byte must be written
        var w = new BoxWriter(buffer);
        int moov = w.BeginBox(FourCC.Moov);
        int mvhd = w.BeginFullBox(FourCC.Mvhd, 1, 0x020304);
        w.WriteU32(0xDEADBEEF);
        Assert.That(w.Depth, Is.EqualTo(2));
        w.EndBox(mvhd);
        int mvex = w.BeginBox(FourCC.Mvex);
        w.EndBox(mvex);
        w.EndBox(moov);
        Assert.That(w.Depth, Is.EqualTo(0));
        byte[] expected = Hex.Parse("""
            00 00 00 20 6d 6f 6f 76             // moov 32
               00 00 00 10 6d 76 68 64 01 02 03 04 // mvhd 16, v1, flags 0x020304
                  de ad be ef
               00 00 00 08 6d 76 65 78          // mvex 8, empty
            """);
        Assert.That(Hex.Format(w.Written), Is.EqualTo(Hex.Format(expected)));
        Assert.That(buffer[w.Position], Is.EqualTo(0xCA));
    }

    [Test]
    public void BoxesStartWhereTheWriterIs()
    {
        var buffer = new byte[16];
        var w = new BoxWriter(buffer);
        w.WriteU32(7);
        int start = w.BeginBox(FourCC.Mdat);
        Assert.That(start, Is.EqualTo(4));
        w.WriteU8(0x42);
        w.EndBox(start);
        Assert.That(Hex.Format(w.Written), Is.EqualTo("00000007" + "000000096d64617442"));
    }

    [Test]
    public void PatchOverwritesAnEarlierField()
    {
        var buffer = new byte[12];
        var w = new BoxWriter(buffer);
        w.WriteU32(1);
        int at = w.Position;
        w.WriteU32(0);
        w.WriteU32(3);
        w.PatchU32(at, 0x70);
        Assert.That(Hex.Format(w.Written), Is.EqualTo("000000010000007000000003"));
        Assert.That(w.Position, Is.EqualTo(12));
    }

    [Test]
    public void WritingPastTheSpanThrows()
    {
        var buffer = new byte[10];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var w = new BoxWriter(buffer);
            w.BeginBox(FourCC.Moof);
            w.WriteU32(1);
        });
    }

    private static IEnumerable<TestCaseData> FourCCs()
    {
        yield return new TestCaseData(FourCC.Ftyp, "ftyp");
        yield return new TestCaseData(FourCC.Url, "url ");
        yield return new TestCaseData(FourCC.AvcC, "avcC");
        yield return new TestCaseData(FourCC.Moof, "moof");
        yield return new TestCaseData(FourCC.Tfdt, "tfdt");
        yield return new TestCaseData(FourCC.Mdat, "mdat");
        yield return new TestCaseData(FourCC.Mp41, "mp41");
        yield return new TestCaseData(FourCC.Vide, "vide");
    }

    [TestCaseSource(nameof(FourCCs))]
    public void FourCCsAreTheirAsciiBytesInOrder(uint fourCC, string text)
    {
        var buffer = new byte[4];
        var w = new BoxWriter(buffer);
        w.WriteU32(fourCC);
        Assert.That(System.Text.Encoding.ASCII.GetString(buffer), Is.EqualTo(text));
        Assert.That(FourCC.ToString(fourCC), Is.EqualTo(text));
    }
}
