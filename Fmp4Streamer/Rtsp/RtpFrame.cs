namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The RTP packets of one access unit, built once and sent to every RTSP client. Each packet is stored behind the
/// 4-byte interleave prefix of RFC 2326 10.12 ('$', channel 0, length): TCP clients send the prefixed bytes, UDP
/// clients the packet after it. Reference-counted on the loop thread like a shared fragment; the last release
/// returns it to its pool.
/// </summary>
public sealed class RtpFrame
{
    /// <summary>'$', channel, 16-bit length in front of every packet.</summary>
    public const int InterleavePrefix = 4;

    private readonly RtpFramePool _pool;
    private int _references;

    internal RtpFrame(RtpFramePool pool, int capacity)
    {
        _pool = pool;
        Buffer = new byte[capacity];
    }

    public byte[] Buffer { get; private set; }

    /// <summary>Bytes of all prefixed packets in <see cref="Buffer"/>.</summary>
    public int Length { get; internal set; }

    /// <summary>Where packet i begins (at its prefix); packet i ends where packet i+1 begins.</summary>
    internal int[] PacketStarts { get; private set; } = new int[64];

    public int PacketCount { get; internal set; }

    public bool IsKeyFrame { get; internal set; }
    public uint RtpTimestamp { get; internal set; }
    public ushort FirstSequenceNumber { get; internal set; }
    public long CaptureTimeUs { get; internal set; }

    /// <summary>Bytes of RTP payload (without RTP headers), for the RTCP sender report's octet count.</summary>
    public int PayloadBytes { get; internal set; }

    public int PacketStart(int index) => PacketStarts[index];

    public int PacketEnd(int index) => index + 1 < PacketCount ? PacketStarts[index + 1] : Length;

    /// <summary>Packet <paramref name="index"/> without its interleave prefix, as a UDP datagram carries it.</summary>
    public ReadOnlySpan<byte> Datagram(int index)
    {
        int start = PacketStarts[index] + InterleavePrefix;
        return Buffer.AsSpan(start, PacketEnd(index) - start);
    }

    public int References => _references;

    public void Retain() => _references++;

    public void Release()
    {
        if (--_references == 0) _pool.Return(this);
    }

    internal void Prepare(int bytes, int packets)
    {
        if (Buffer.Length < bytes) Buffer = new byte[Math.Max(bytes, Buffer.Length * 3 / 2)];
        if (PacketStarts.Length < packets) PacketStarts = new int[Math.Max(packets, PacketStarts.Length * 2)];
        _references = 1;
        Length = 0;
        PacketCount = 0;
        PayloadBytes = 0;
    }
}
