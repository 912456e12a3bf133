using System.Buffers.Binary;
using Fmp4Streamer.H264;
using Fmp4Streamer.Tests.TestSupport;
using static Fmp4Streamer.Tests.H264.TestBytes;

namespace Fmp4Streamer.Tests.H264;

public class AnnexBTests
{
    private static readonly TestCaseData[] s_startCodeCases =
    [
        new TestCaseData("00 00 01 67", 0, 0, 3).SetName("three-byte at start"),
        new TestCaseData("00 00 00 01 67", 0, 0, 4).SetName("four-byte at start"),
        new TestCaseData("aa 00 00 01 67", 0, 1, 3).SetName("three-byte after garbage"),
        new TestCaseData("aa 00 00 00 01", 0, 1, 4).SetName("four-byte after garbage"),
        new TestCaseData("00 00 00 00 01", 0, 1, 4).SetName("extra leading zeros belong before the code"),
        new TestCaseData("00 00 01 67 00 00 01", 1, 4, 3).SetName("search from an offset"),
        new TestCaseData("00 00 01 67 00 00 00 01", 3, 4, 4).SetName("four-byte after a NAL"),
        new TestCaseData("00 00 01", 1, -1, 0).SetName("offset past the only code"),
        new TestCaseData("00 01 00 00", 0, -1, 0).SetName("none"),
        new TestCaseData("00 00 02 00 00 03", 0, -1, 0).SetName("near misses"),
        new TestCaseData("", 0, -1, 0).SetName("empty"),
    ];

    [TestCaseSource(nameof(s_startCodeCases))]
    public void FindsStartCodes(string hex, int from, int expectedIndex, int expectedLength)
    {
        int at = AnnexB.FindStartCode(Hex(hex), from, out int length);
        Assert.That((at, length), Is.EqualTo((expectedIndex, expectedLength)));
    }

    private static readonly TestCaseData[] s_nalCases =
    [
        new TestCaseData("00 00 00 01 67 aa 00 00 01 68 bb", new[] { "67 aa", "68 bb" }).SetName("four then three"),
        new TestCaseData("ff ee 00 00 01 09 f0", new[] { "09 f0" }).SetName("garbage before the first code is skipped"),
        new TestCaseData("00 00 01 65 11 00 00 00 00 01 41 22 00 00", new[] { "65 11", "41 22" })
            .SetName("trailing zeros are not part of a NAL"),
        new TestCaseData("00 00 01 00 00 01 67 01", new[] { "67 01" }).SetName("empty NAL between codes"),
        new TestCaseData("00 00 00 01 00 00 00 01 68 02", new[] { "68 02" }).SetName("empty NAL between four-byte codes"),
        new TestCaseData("00 00 01 65 00 00 01", new[] { "65" }).SetName("code at the very end"),
        new TestCaseData("67 42 00 1f", new string[0]).SetName("no start code at all"),
        new TestCaseData("00 00 01 06 05 00 00 03 01 80 00 00 01 65 88", new[] { "06 05 00 00 03 01 80", "65 88" })
            .SetName("emulation prevention is kept in the NAL"),
    ];

    [TestCaseSource(nameof(s_nalCases))]
    public void EnumeratesNals(string hex, string[] expected)
    {
        Assert.That(NalsAsHex(Hex(hex)), Is.EqualTo(expected));
    }

    [Test]
    public void EnumeratorReportsOffsets()
    {
        var data = Hex("aa 00 00 00 01 67 42 00 00 01 68");
        var offsets = new List<int>();
        var e = AnnexB.EnumerateNals(data);
        while (e.MoveNext()) offsets.Add(e.CurrentOffset);
        Assert.That(offsets, Is.EqualTo(new[] { 5, 10 }));
    }

    private const string AccessUnitWithAudAndFiller =
        "00 00 00 01 09 f0 00 00 00 01 67 42 00 00 01 68 ce 00 00 01 0c ff ff 80 00 00 01 65 88 84 00";

    [Test]
    public void ConvertsToAvccDroppingAudAndFiller()
    {
        var annexB = Hex(AccessUnitWithAudAndFiller);
        var expected = Hex("00 00 00 02 67 42  00 00 00 02 68 ce  00 00 00 03 65 88 84");
        Assert.That(AnnexB.AvccSize(annexB), Is.EqualTo(expected.Length));
        var dest = new byte[64];
        int written = AnnexB.ConvertToAvcc(annexB, dest);
        Assert.That(ToHex(dest.AsSpan(0, written)), Is.EqualTo(ToHex(expected)));
    }

    [Test]
    public void ConvertToAvccRejectsASmallDestination()
    {
        var annexB = Hex(AccessUnitWithAudAndFiller);
        var dest = new byte[AnnexB.AvccSize(annexB) - 1];
        Assert.Throws<ArgumentException>(() => AnnexB.ConvertToAvcc(annexB, dest));
    }

    [Test]
    public void FindsParameterSetsAndIdr()
    {
        var annexB = Hex(AccessUnitWithAudAndFiller + " 00 00 01 67 43 00 00 01 68 cf");
        Assert.That(AnnexB.FindParameterSets(annexB, out var sps, out var pps), Is.True);
        Assert.That(ToHex(sps), Is.EqualTo("67 42"), "the first SPS wins");
        Assert.That(ToHex(pps), Is.EqualTo("68 ce"));
        Assert.That(AnnexB.ContainsIdr(annexB), Is.True);
        Assert.That(ToHex(AnnexB.FindNal(annexB, NalUnitType.FillerData)), Is.EqualTo("0c ff ff 80"));
    }

    [Test]
    public void ReportsMissingParameterSetsAndNonIdr()
    {
        var annexB = Hex("00 00 00 01 67 42 00 00 01 41 9a");
        Assert.That(AnnexB.FindParameterSets(annexB, out var sps, out var pps), Is.False);
        Assert.That(ToHex(sps), Is.EqualTo("67 42"));
        Assert.That(pps.IsEmpty, Is.True);
        Assert.That(AnnexB.ContainsIdr(annexB), Is.False);
    }

    [Test]
    public void X264UsesBothStartCodeLengths()
    {
        var data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 10));
        int threes = 0, fours = 0;
        int at = AnnexB.FindStartCode(data, 0, out int length);
        while (at >= 0)
        {
            if (length == 3) threes++; else fours++;
            at = AnnexB.FindStartCode(data, at + length, out length);
        }
        Assert.That(fours, Is.GreaterThan(0));
        Assert.That(threes, Is.GreaterThan(0));
    }

    [TestCase("")]
    [TestCase("aud=1")]
    [TestCase("slices=4")]
    public void AvccOfARealStreamHoldsEveryNalButAudsAndFiller(string x264Params)
    {
        var data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("main", 320, 240, 10, x264Params));
        var expected = new List<string>();
        foreach (var nal in AnnexB.EnumerateNals(data))
        {
            if (!AnnexB.IsDroppedFromSamples(NalUnit.TypeOf(nal[0]))) expected.Add(ToHex(nal));
        }

        var avcc = new byte[AnnexB.AvccSize(data)];
        Assert.That(AnnexB.ConvertToAvcc(data, avcc), Is.EqualTo(avcc.Length));
        var actual = new List<string>();
        for (int pos = 0; pos < avcc.Length;)
        {
            int length = (int)BinaryPrimitives.ReadUInt32BigEndian(avcc.AsSpan(pos));
            actual.Add(ToHex(avcc.AsSpan(pos + 4, length)));
            pos += 4 + length;
        }
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(expected.Count, Is.GreaterThanOrEqualTo(x264Params == "slices=4" ? 40 : 10));
    }

    [Test]
    public void RewritingToThreeByteCodesKeepsTheNals()
    {
        var data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 10));
        var rewritten = RewriteToThreeByteStartCodes(data);
        Assert.That(rewritten.Length, Is.LessThan(data.Length));
        Assert.That(NalsAsHex(rewritten), Is.EqualTo(NalsAsHex(data)));
    }

    [Test]
    public void ConversionAllocatesNothing()
    {
        var data = File.ReadAllBytes(FfmpegFixtures.EncodeH264("high", 320, 240, 2, "aud=1"));
        var dest = new byte[AnnexB.AvccSize(data)];
        int checksum = Convert(data, dest); // warm up (JIT, static data)
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++) checksum += Convert(data, dest);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.That(allocated, Is.EqualTo(0));
        Assert.That(checksum, Is.GreaterThan(0));

        static int Convert(byte[] data, byte[] dest)
        {
            int n = AnnexB.ConvertToAvcc(data, dest) + AnnexB.AvccSize(data);
            if (AnnexB.ContainsIdr(data)) n++;
            if (AnnexB.FindParameterSets(data, out var sps, out var pps)) n += sps.Length + pps.Length;
            return n;
        }
    }

    /// <summary>Replaces every 00 00 00 01 by 00 00 01.</summary>
    internal static byte[] RewriteToThreeByteStartCodes(byte[] data)
    {
        var output = new List<byte>(data.Length);
        for (int i = 0; i < data.Length; i++)
        {
            if (i + 3 < data.Length && data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 0 && data[i + 3] == 1) continue;
            output.Add(data[i]);
        }
        return output.ToArray();
    }
}
