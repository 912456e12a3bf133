using Fmp4Streamer.Mp4;

namespace Fmp4Streamer.Tests.Mp4;

public class AvcCodecStringTests
{
    [TestCase("27 64 00 2a ac 2b 40 28", "avc1.64002a", TestName = "High 4.2 (Pi 3B+ golden SPS)")]
    [TestCase("67 42 c0 1f 8c 8d", "avc1.42c01f", TestName = "Constrained Baseline 3.1")]
    [TestCase("67 4d 40 28 95", "avc1.4d4028", TestName = "Main 4.0")]
    [TestCase("67 f4 00 1e", "avc1.f4001e", TestName = "High 4:4:4 Predictive 3.0")]
    public void FromSps(string spsHex, string expected) =>
        Assert.That(AvcCodecString.FromSps(Hex.Parse(spsHex)), Is.EqualTo(expected));

    [TestCase("68 ee 3c 80", TestName = "A PPS")]
    [TestCase("67 64 00", TestName = "Too short")]
    public void RejectsWhatIsNotAnSps(string hex) =>
        Assert.Throws<ArgumentException>(() => AvcCodecString.FromSps(Hex.Parse(hex)));
}
