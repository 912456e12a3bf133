using System.Text;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class HlsQueryTests
{
    [TestCase("", -1L, -1)]
    [TestCase("_HLS_msn=12", 12L, -1)]
    [TestCase("_HLS_msn=12&_HLS_part=3", 12L, 3)]
    [TestCase("_HLS_part=3&_HLS_msn=12", 12L, 3)]
    [TestCase("_HLS_msn=0&_HLS_part=0", 0L, 0)]
    [TestCase("x=1&_HLS_msn=7&_HLS_skip=YES", 7L, -1)]
    [TestCase("_HLS_msnx=4", -1L, -1)]
    public void ReadsTheDeliveryDirectives(string query, long msn, int part)
    {
        Assert.That(HlsQuery.TryParse(Encoding.ASCII.GetBytes(query), out long m, out int p), Is.True);
        Assert.That((m, p), Is.EqualTo((msn, part)));
    }

    // RFC 8216bis 6.2.5.2: a malformed directive, or _HLS_part without _HLS_msn, is a client error.
    [TestCase("_HLS_part=3")]
    [TestCase("_HLS_msn=abc")]
    [TestCase("_HLS_msn=-1")]
    [TestCase("_HLS_msn=")]
    [TestCase("_HLS_msn=12&_HLS_part=x")]
    [TestCase("_HLS_msn=12&_HLS_part=-1")]
    [TestCase("_HLS_msn=1.5")]
    [TestCase("_HLS_msn=12&_HLS_part=99999999999")]
    [TestCase("_HLS_msn=1234567890123456789012")]
    public void RejectsMalformedDirectives(string query)
    {
        Assert.That(HlsQuery.TryParse(Encoding.ASCII.GetBytes(query), out long m, out int p), Is.False);
        Assert.That((m, p), Is.EqualTo((-1L, -1)));
    }
}
