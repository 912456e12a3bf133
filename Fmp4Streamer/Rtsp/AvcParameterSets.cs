using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The first SPS and PPS of an init segment, read from its avcC box (ISO/IEC 14496-15 5.3.3.1), for the SDP and
/// for the packets in front of every key frame.
/// </summary>
public sealed class AvcParameterSets
{
    private AvcParameterSets(byte[] sps, byte[] pps)
    {
        Sps = sps;
        Pps = pps;
    }

    public byte[] Sps { get; }
    public byte[] Pps { get; }

    public static AvcParameterSets? FromInitSegment(ReadOnlySpan<byte> init)
    {
        ReadOnlySpan<byte> avcC = "avcC"u8;
        int at = init.IndexOf(avcC);
        if (at < 4) return null;
        uint size = BinaryPrimitives.ReadUInt32BigEndian(init[(at - 4)..]);
        if (size < 8 || at - 4 + size > init.Length) return null;
        var body = init.Slice(at + 4, (int)size - 8);
        // configurationVersion, profile, compatibility, level, lengthSizeMinusOne, numOfSequenceParameterSets.
        if (body.Length < 6 || (body[5] & 0x1F) == 0) return null;
        int p = 6;
        if (!TryTake(body, ref p, out var sps)) return null;
        if (p >= body.Length || body[p] == 0) return null;
        p++;
        if (!TryTake(body, ref p, out var pps)) return null;
        return new AvcParameterSets(sps.ToArray(), pps.ToArray());
    }

    private static bool TryTake(ReadOnlySpan<byte> body, ref int p, out ReadOnlySpan<byte> nal)
    {
        nal = default;
        if (p + 2 > body.Length) return false;
        int length = BinaryPrimitives.ReadUInt16BigEndian(body[p..]);
        p += 2;
        if (length == 0 || p + length > body.Length) return false;
        nal = body.Slice(p, length);
        p += length;
        return true;
    }
}
