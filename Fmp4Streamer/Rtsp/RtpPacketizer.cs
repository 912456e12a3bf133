namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Turns one H264 access unit (AVCC: 4-byte length-prefixed NAL units) into RTP packets (RFC 6184, packetization
/// mode 1): a NAL unit that fits the MTU goes alone (5.6), a larger one in FU-A fragments (5.8). Key frames get
/// the current SPS and PPS in front, so a client can start on any of them; the access unit's own SPS, PPS and
/// access unit delimiters are left out. The last packet carries the marker bit (5.1). One stream's packets share
/// an SSRC and one sequence, whoever receives them.
/// </summary>
public sealed class RtpPacketizer
{
    public const int HeaderSize = 12;
    public const byte PayloadType = 96;

    /// <summary>Interleaved channel of the video's RTP (its RTCP on the next one).</summary>
    public const byte Channel = 0;
    private const int FuHeaderSize = 2;
    private const byte FuA = 28;

    private readonly RtpFramePool _pool;
    private readonly int _maxPayload;

    /// <param name="mtu">Largest RTP packet (header included) in bytes.</param>
    public RtpPacketizer(RtpFramePool pool, int mtu, uint ssrc, ushort firstSequenceNumber)
    {
        if (mtu < HeaderSize + FuHeaderSize + 16) throw new ArgumentOutOfRangeException(nameof(mtu), mtu, "MTU too small for RTP");
        _pool = pool;
        Mtu = mtu;
        _maxPayload = mtu - HeaderSize;
        Ssrc = ssrc;
        NextSequenceNumber = firstSequenceNumber;
    }

    public int Mtu { get; }
    public uint Ssrc { get; }

    /// <summary>The sequence number the next packet will carry (what RTP-Info announces to a joining client).</summary>
    public ushort NextSequenceNumber { get; private set; }

    /// <summary>
    /// Packetizes one access unit into a pooled frame holding one reference (the caller's), or returns null when the
    /// access unit holds nothing to send.
    /// </summary>
    public RtpFrame? Packetize(ReadOnlySpan<byte> avcc, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps, bool isKeyFrame,
        uint rtpTimestamp)
    {
        int packets = 0, bytes = 0;
        if (isKeyFrame)
        {
            Measure(sps.Length, ref packets, ref bytes);
            Measure(pps.Length, ref packets, ref bytes);
        }
        for (var nals = new AvccNalEnumerator(avcc); nals.MoveNext();)
            if (IsSent(nals.Current)) Measure(nals.Current.Length, ref packets, ref bytes);
        if (packets == 0) return null;

        var frame = _pool.Rent(bytes, packets);
        frame.IsKeyFrame = isKeyFrame;
        frame.RtpTimestamp = rtpTimestamp;
        frame.FirstSequenceNumber = NextSequenceNumber;
        int left = packets;
        if (isKeyFrame)
        {
            Write(frame, sps, rtpTimestamp, ref left);
            Write(frame, pps, rtpTimestamp, ref left);
        }
        for (var nals = new AvccNalEnumerator(avcc); nals.MoveNext();)
            if (IsSent(nals.Current)) Write(frame, nals.Current, rtpTimestamp, ref left);
        return frame;
    }

    private static bool IsSent(ReadOnlySpan<byte> nal)
    {
        if (nal.Length == 0) return false;
        int type = nal[0] & 0x1F;
        return type is not (7 or 8 or 9); // SPS, PPS (sent from the stream's own copy), access unit delimiter
    }

    private void Measure(int nalLength, ref int packets, ref int bytes)
    {
        if (nalLength == 0) return;
        const int perPacket = RtpFrame.InterleavePrefix + HeaderSize;
        if (nalLength <= _maxPayload)
        {
            packets++;
            bytes += perPacket + nalLength;
            return;
        }
        int body = nalLength - 1; // the NAL header byte travels in the FU indicator and header
        int perFragment = _maxPayload - FuHeaderSize;
        int fragments = (body + perFragment - 1) / perFragment;
        packets += fragments;
        bytes += fragments * (perPacket + FuHeaderSize) + body;
    }

    private void Write(RtpFrame frame, ReadOnlySpan<byte> nal, uint timestamp, ref int left)
    {
        if (nal.Length == 0) return;
        if (nal.Length <= _maxPayload)
        {
            var payload = BeginPacket(frame, nal.Length, timestamp, --left == 0);
            nal.CopyTo(payload);
            return;
        }
        byte indicator = (byte)(nal[0] & 0xE0 | FuA);
        byte type = (byte)(nal[0] & 0x1F);
        var body = nal[1..];
        int perFragment = _maxPayload - FuHeaderSize;
        bool first = true;
        while (body.Length > 0)
        {
            int take = Math.Min(perFragment, body.Length);
            bool last = take == body.Length;
            var payload = BeginPacket(frame, FuHeaderSize + take, timestamp, --left == 0);
            payload[0] = indicator;
            payload[1] = (byte)((first ? 0x80 : 0) | (last ? 0x40 : 0) | type);
            body[..take].CopyTo(payload[FuHeaderSize..]);
            body = body[take..];
            first = false;
        }
    }

    private Span<byte> BeginPacket(RtpFrame frame, int payloadLength, uint timestamp, bool marker) =>
        RtpPacketWriter.Begin(frame, Channel, PayloadType, NextSequenceNumber++, timestamp, Ssrc, marker, payloadLength);
}
