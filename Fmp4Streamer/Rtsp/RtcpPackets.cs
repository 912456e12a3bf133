using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>The RTCP this server writes (sender reports) and recognises (receiver reports), RFC 3550 6.4.</summary>
public static class RtcpPackets
{
    public const int SenderReportSize = 28;
    private const byte SenderReportType = 200, ReceiverReportType = 201;

    // Seconds from the NTP epoch (1900) to the Unix epoch (1970).
    private const long NtpUnixOffsetSeconds = 2_208_988_800;

    /// <summary>
    /// Writes a sender report without report blocks: the wall-clock time <paramref name="unixTimeUs"/> as NTP, the
    /// RTP timestamp of that same instant, and what was sent so far.
    /// </summary>
    public static void WriteSenderReport(Span<byte> dest, uint ssrc, long unixTimeUs, uint rtpTimestamp,
        uint packetCount, uint octetCount)
    {
        dest[0] = 0x80; // version 2, no padding, no report blocks
        dest[1] = SenderReportType;
        BinaryPrimitives.WriteUInt16BigEndian(dest[2..], SenderReportSize / 4 - 1);
        BinaryPrimitives.WriteUInt32BigEndian(dest[4..], ssrc);
        long seconds = unixTimeUs / 1_000_000 + NtpUnixOffsetSeconds;
        ulong fraction = (ulong)(unixTimeUs % 1_000_000) * (1UL << 32) / 1_000_000;
        BinaryPrimitives.WriteUInt32BigEndian(dest[8..], (uint)seconds);
        BinaryPrimitives.WriteUInt32BigEndian(dest[12..], (uint)fraction);
        BinaryPrimitives.WriteUInt32BigEndian(dest[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(dest[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(dest[24..], octetCount);
    }

    /// <summary>Receiver reports in a (compound) RTCP datagram; 0 for anything that is not valid RTCP.</summary>
    public static int CountReceiverReports(ReadOnlySpan<byte> datagram)
    {
        int count = 0;
        while (datagram.Length >= 4)
        {
            if (datagram[0] >> 6 != 2) return count;
            int length = (BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]) + 1) * 4;
            if (length > datagram.Length) return count;
            if (datagram[1] == ReceiverReportType) count++;
            datagram = datagram[length..];
        }
        return count;
    }
}
