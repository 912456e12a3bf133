namespace Fmp4Streamer.Tests.Mp4;

/// <summary>
/// Minimal Annex-B splitter for the ffprobe tests only (the real one lives in the H264 layer): finds 3- and 4-byte
/// start codes, groups NAL units into access units and converts them to 4-byte-length samples.
/// </summary>
internal static class AnnexBTestSplitter
{
    public sealed record AccessUnit(byte[] Avcc, bool IsIdr);

    public static List<byte[]> SplitNals(ReadOnlySpan<byte> stream)
    {
        var nals = new List<byte[]>();
        int start = -1;
        int i = 0;
        while (i + 3 <= stream.Length)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1)
            {
                if (start >= 0)
                {
                    int end = i;
                    while (end > start && stream[end - 1] == 0) end--; // zero_byte / trailing_zero_8bits
                    nals.Add(stream[start..end].ToArray());
                }
                i += 3;
                start = i;
            }
            else i++;
        }
        if (start >= 0 && start < stream.Length) nals.Add(stream[start..].ToArray());
        return nals;
    }

    /// <summary>H.264 7.4.1.2.3: a new access unit begins at an AUD/SPS/PPS/SEI after a VCL NAL, or at a slice with first_mb_in_slice 0.</summary>
    public static List<AccessUnit> AccessUnits(ReadOnlySpan<byte> stream)
    {
        var units = new List<AccessUnit>();
        var current = new List<byte[]>();
        bool hasVcl = false;
        foreach (byte[] nal in SplitNals(stream))
        {
            int type = nal[0] & 0x1F;
            bool vcl = type is 1 or 5;
            bool startsNew = hasVcl && (type is 6 or 7 or 8 or 9 || (vcl && (nal[1] & 0x80) != 0));
            if (startsNew)
            {
                units.Add(ToAvcc(current));
                current.Clear();
                hasVcl = false;
            }
            current.Add(nal);
            hasVcl |= vcl;
        }
        if (current.Count > 0) units.Add(ToAvcc(current));
        return units;
    }

    private static AccessUnit ToAvcc(List<byte[]> nals)
    {
        int size = 0;
        bool idr = false;
        foreach (byte[] n in nals)
        {
            size += 4 + n.Length;
            idr |= (n[0] & 0x1F) == 5;
        }
        var avcc = new byte[size];
        int pos = 0;
        foreach (byte[] n in nals)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(avcc.AsSpan(pos), n.Length);
            n.CopyTo(avcc, pos + 4);
            pos += 4 + n.Length;
        }
        return new AccessUnit(avcc, idr);
    }
}
