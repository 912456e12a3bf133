using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Turns AAC access units into RTP packets in the mpeg4-generic AAC-hbr mode (RFC 3640 3.3.6): each packet holds
/// one unit behind a 16-bit AU-headers-length and one AU header (13-bit size, 3-bit index 0), and takes the
/// unit's RTP timestamp with the marker bit set (3.1). A unit larger than a packet goes in fragments (3.2.3): every
/// fragment repeats the AU header with the whole unit's size and its timestamp, and only the last has the marker.
/// One stream's audio packets share an SSRC and one sequence, whoever receives them.
/// </summary>
public sealed class AacPacketizer
{
    public const byte PayloadType = 97;

    /// <summary>Interleaved channel of the audio's RTP (its RTCP on the next one).</summary>
    public const byte Channel = 2;

    /// <summary>Largest unit the 13-bit AU-size field can state.</summary>
    public const int MaxUnitSize = (1 << 13) - 1;

    private const int AuSectionSize = 4; // AU-headers-length (16 bits) and one 16-bit AU header

    private readonly RtpFramePool _pool;
    private readonly int _maxPayload;

    /// <param name="mtu">Largest RTP packet (header included) in bytes.</param>
    public AacPacketizer(RtpFramePool pool, int mtu, uint ssrc, ushort firstSequenceNumber)
    {
        if (mtu < RtpPacketWriter.HeaderSize + AuSectionSize + 16) throw new ArgumentOutOfRangeException(nameof(mtu), mtu, "MTU too small for RTP");
        _pool = pool;
        _maxPayload = mtu - RtpPacketWriter.HeaderSize;
        Ssrc = ssrc;
        NextSequenceNumber = firstSequenceNumber;
    }

    public uint Ssrc { get; }

    /// <summary>The sequence number the next packet will carry (what RTP-Info announces to a joining client).</summary>
    public ushort NextSequenceNumber { get; private set; }

    /// <summary>Units left out because they were empty or larger than <see cref="MaxUnitSize"/>.</summary>
    public long UnitsRefused { get; private set; }

    /// <summary>
    /// Packetizes the units (the first at <paramref name="rtpTimestamp"/>, each next one a unit's duration later)
    /// into a pooled frame holding one reference (the caller's); null when none can be sent.
    /// </summary>
    public RtpFrame? Packetize(in AudioUnits units, uint rtpTimestamp)
    {
        int packets = 0, bytes = 0;
        for (int i = 0; i < units.Count; i++)
        {
            int size = units.SizeOf(i);
            if (!IsSendable(size)) continue;
            int fragments = Fragments(size);
            packets += fragments;
            bytes += fragments * (RtpFrame.InterleavePrefix + RtpPacketWriter.HeaderSize + AuSectionSize) + size;
        }
        if (packets == 0)
        {
            UnitsRefused += units.Count;
            return null;
        }

        var frame = _pool.Rent(bytes, packets);
        frame.IsKeyFrame = true; // every AAC unit decodes on its own
        frame.RtpTimestamp = rtpTimestamp;
        frame.FirstSequenceNumber = NextSequenceNumber;
        var data = units.Data;
        uint timestamp = rtpTimestamp;
        for (int i = 0; i < units.Count; i++, timestamp += units.UnitDuration)
        {
            int size = units.SizeOf(i);
            var unit = data[..size];
            data = data[size..];
            if (!IsSendable(size))
            {
                UnitsRefused++;
                continue;
            }
            Write(frame, unit, timestamp);
        }
        return frame;
    }

    private static bool IsSendable(int size) => size is > 0 and <= MaxUnitSize;

    private int Fragments(int size)
    {
        int perPacket = _maxPayload - AuSectionSize;
        return (size + perPacket - 1) / perPacket;
    }

    private void Write(RtpFrame frame, ReadOnlySpan<byte> unit, uint timestamp)
    {
        int perPacket = _maxPayload - AuSectionSize;
        int size = unit.Length;
        while (unit.Length > 0)
        {
            int take = Math.Min(perPacket, unit.Length);
            bool last = take == unit.Length;
            var payload = RtpPacketWriter.Begin(frame, Channel, PayloadType, NextSequenceNumber++, timestamp, Ssrc, last,
                AuSectionSize + take);
            BinaryPrimitives.WriteUInt16BigEndian(payload, 16); // AU-headers-length in bits: one 16-bit header
            BinaryPrimitives.WriteUInt16BigEndian(payload[2..], (ushort)(size << 3)); // AU-size, AU-index 0
            unit[..take].CopyTo(payload[AuSectionSize..]);
            unit = unit[take..];
        }
    }
}
