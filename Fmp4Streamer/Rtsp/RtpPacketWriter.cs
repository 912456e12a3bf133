using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>Appends packets to an <see cref="RtpFrame"/>: the interleave prefix and the RTP header (RFC 3550 5.1).</summary>
internal static class RtpPacketWriter
{
    public const int HeaderSize = 12;

    /// <summary>Writes the prefix and RTP header of the next packet and returns its payload area.</summary>
    public static Span<byte> Begin(RtpFrame frame, byte channel, byte payloadType, ushort sequenceNumber, uint timestamp,
        uint ssrc, bool marker, int payloadLength)
    {
        int start = frame.Length;
        frame.PacketStarts[frame.PacketCount++] = start;
        int packetLength = HeaderSize + payloadLength;
        var p = frame.Buffer.AsSpan(start, RtpFrame.InterleavePrefix + packetLength);
        p[0] = (byte)'$';
        p[1] = channel;
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)packetLength);
        p[4] = 0x80; // version 2, no padding, no extension, no CSRC
        p[5] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(p[8..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], ssrc);
        frame.Length = start + p.Length;
        frame.PayloadBytes += payloadLength;
        return p[(RtpFrame.InterleavePrefix + HeaderSize)..];
    }
}
