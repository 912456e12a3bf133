using System.Buffers.Binary;
using System.Text;
using Fmp4Streamer.Rtsp;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>The RTSP text side: request heads, Transport headers, the SDP, RTCP.</summary>
public class RtspProtocolTests
{
    private static RtspRequestParser.Result Parse(string text, out RtspRequest? request, out int consumed) =>
        RtspRequestParser.TryParse(Encoding.Latin1.GetBytes(text), out request, out consumed);

    [Test]
    public void Parses_a_request_with_its_headers_and_skips_its_body()
    {
        string text = "SET_PARAMETER rtsp://h/cam RTSP/1.0\r\nCSeq: 7\r\nsession: ABC;timeout=60\r\n" +
            "Transport: RTP/AVP/TCP;unicast\r\nContent-Length: 4\r\n\r\nbodyOPTIONS";
        Assert.That(Parse(text, out var r, out int consumed), Is.EqualTo(RtspRequestParser.Result.Complete));
        Assert.That((r!.Method, r.Uri, r.CSeq, r.Session, r.Transport), Is.EqualTo(
            ("SET_PARAMETER", "rtsp://h/cam", "7", "ABC", "RTP/AVP/TCP;unicast")));
        Assert.That(consumed, Is.EqualTo(text.Length - "OPTIONS".Length));
    }

    [TestCase("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n", RtspRequestParser.Result.NeedMore)]
    [TestCase("OPTIONS * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 3\r\n\r\nab", RtspRequestParser.Result.NeedMore)]
    [TestCase("OPTIONS * HTTP/1.1\r\nCSeq: 1\r\n\r\n", RtspRequestParser.Result.Malformed)]
    [TestCase("OPTIONS *\r\nCSeq: 1\r\n\r\n", RtspRequestParser.Result.Malformed)]
    [TestCase("Options * RTSP/1.0\r\nCSeq: 1\r\n\r\n", RtspRequestParser.Result.Malformed)]
    [TestCase("OPTIONS * RTSP/1.0\r\nCSeq: x\r\n\r\n", RtspRequestParser.Result.Malformed)]
    [TestCase("OPTIONS * RTSP/1.0\r\nCSeq 1\r\n\r\n", RtspRequestParser.Result.Malformed)]
    [TestCase("OPTIONS * RTSP/1.0\r\nContent-Length: -1\r\n\r\n", RtspRequestParser.Result.Malformed)]
    [TestCase("OPTIONS \u00e9 RTSP/1.0\r\nCSeq: 1\r\n\r\n", RtspRequestParser.Result.Malformed)]
    public void Reports_incomplete_and_malformed_heads(string text, RtspRequestParser.Result expected)
    {
        Assert.That(Parse(text, out _, out _), Is.EqualTo(expected));
    }

    [Test]
    public void An_endless_head_is_too_large()
    {
        Assert.That(Parse("OPTIONS * RTSP/1.0\r\nX: " + new string('a', 9000), out _, out _), Is.EqualTo(RtspRequestParser.Result.TooLarge));
    }

    [TestCase("RTP/AVP/TCP;unicast;interleaved=0-1", true, 0, 0)]
    [TestCase("RTP/AVP;unicast;client_port=5000-5001", false, 5000, 5001)]
    [TestCase("RTP/AVP/UDP;unicast;client_port=5000", false, 5000, 5001)]
    [TestCase("RTP/AVP;multicast;port=5000-5001,RTP/AVP/TCP;interleaved=2-3", true, 0, 0)]
    public void Picks_the_first_usable_transport(string header, bool interleaved, int rtp, int rtcp)
    {
        Assert.That(TransportSpec.TryParse(header, out var spec), Is.True);
        Assert.That(spec, Is.EqualTo(new TransportSpec(interleaved, rtp, rtcp)));
    }

    [TestCase(null)]
    [TestCase("RTP/AVP;multicast")]
    [TestCase("RTP/AVP;unicast")]
    [TestCase("RTP/AVP;unicast;client_port=0-1")]
    [TestCase("RTP/SAVP;unicast;client_port=5000-5001")]
    public void Refuses_transports_it_does_not_serve(string? header)
    {
        Assert.That(TransportSpec.TryParse(header, out _), Is.False);
    }

    private static readonly byte[] Sps = { 0x67, 0x64, 0x00, 0x1F, 0xAC, 0xD9 };
    private static readonly byte[] Pps = { 0x68, 0xEB, 0xE3, 0xCB };

    private static byte[] InitWithAvcC()
    {
        // Enough of a moov for the reader: some bytes, then an avcC box.
        var avcc = new List<byte> { 1, 0x64, 0x00, 0x1F, 0xFF, 0xE1, 0, (byte)Sps.Length };
        avcc.AddRange(Sps);
        avcc.AddRange(new byte[] { 1, 0, (byte)Pps.Length });
        avcc.AddRange(Pps);
        var box = new byte[8 + avcc.Count];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        "avcC"u8.CopyTo(box.AsSpan(4));
        avcc.CopyTo(box, 8);
        return new byte[20].Concat(box).ToArray();
    }

    [Test]
    public void Sdp_carries_the_real_parameter_sets()
    {
        var sets = AvcParameterSets.FromInitSegment(InitWithAvcC())!;
        Assert.That(sets.Sps, Is.EqualTo(Sps));
        Assert.That(sets.Pps, Is.EqualTo(Pps));
        string sdp = SdpWriter.Write("cam", sets, 25, 42);
        Assert.That(sdp, Does.Contain("m=video 0 RTP/AVP 96\r\n"));
        Assert.That(sdp, Does.Contain("a=rtpmap:96 H264/90000\r\n"));
        Assert.That(sdp, Does.Contain($"a=fmtp:96 packetization-mode=1;profile-level-id=64001F;sprop-parameter-sets=" +
            $"{Convert.ToBase64String(Sps)},{Convert.ToBase64String(Pps)}\r\n"));
        Assert.That(sdp, Does.Contain("a=framerate:25\r\n").And.Contain("a=control:trackID=0\r\n"));
        Assert.That(AvcParameterSets.FromInitSegment(InitWithAvcC().AsSpan(0, 30)), Is.Null);
    }

    [Test]
    public void Sender_report_maps_wall_clock_to_rtp_time()
    {
        var sr = new byte[RtcpPackets.SenderReportSize];
        long unixUs = 1_700_000_000_500_000; // .5 s
        RtcpPackets.WriteSenderReport(sr, 0xAABBCCDD, unixUs, 123456, 10, 2000);
        Assert.That(Convert.ToHexString(sr[..8]), Is.EqualTo("80C80006AABBCCDD"));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(sr.AsSpan(8)), Is.EqualTo((uint)(1_700_000_000L + 2_208_988_800L)));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(sr.AsSpan(12)), Is.EqualTo(0x80000000u));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(sr.AsSpan(16)), Is.EqualTo(123456u));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(sr.AsSpan(20)), Is.EqualTo(10u));
        Assert.That(BinaryPrimitives.ReadUInt32BigEndian(sr.AsSpan(24)), Is.EqualTo(2000u));
    }

    [Test]
    public void Counts_receiver_reports_in_a_compound_packet()
    {
        byte[] rr = Convert.FromHexString("81C90007" + "11111111" + new string('0', 48));
        byte[] sdes = Convert.FromHexString("81CA0002" + "11111111" + "01000000");
        Assert.That(RtcpPackets.CountReceiverReports(rr.Concat(sdes).ToArray()), Is.EqualTo(1));
        Assert.That(RtcpPackets.CountReceiverReports(rr.AsSpan(0, 20)), Is.EqualTo(0), "truncated");
        Assert.That(RtcpPackets.CountReceiverReports("hello"u8), Is.EqualTo(0));
    }
}
