namespace Fmp4Streamer.Tests.Mp4;

/// <summary>
/// The original program's output from spec section 5.3 (verified there against the original writer), and its
/// inputs: 640x480, rotation 0, timescale 15000, the Raspberry Pi 3B+ High@4.2 parameter sets.
/// </summary>
internal static class GoldenVectors
{
    public static readonly byte[] Sps = Hex.Parse("27 64 00 2a ac 2b 40 28 02 dd 00 f1 22 6a");
    public static readonly byte[] Pps = Hex.Parse("28 ee 02 5c b0 00");
    public static readonly byte[] IdrSlice = Hex.Parse("65 88 84 00 33");
    public static readonly byte[] NonIdrSlice = Hex.Parse("41 9a 02");
    public const int Width = 640;
    public const int Height = 480;
    public const uint Timescale = 15000;

    public static readonly byte[] OriginalInit = Hex.Parse("""
        0000: 00 00 00 24 66 74 79 70 69 73 6f 6d 00 00 02 00 69 73 6f 6d 69 73 6f 32 69 73 6f 35 61 76 63 31
        0020: 6d 70 34 31 00 00 02 7e 6d 6f 6f 76 00 00 00 6c 6d 76 68 64 00 00 00 00 00 00 00 00 00 00 00 00
        0040: 00 00 3a 98 00 00 00 00 00 01 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00
        0060: 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 40 00 00 00 00 00 00 00
        0080: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 d2 74 72 61 6b
        00a0: 00 00 00 5c 74 6b 68 64 00 00 00 07 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00
        00c0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00
        00e0: 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 40 00 00 00 02 80 00 00 01 e0 00 00 00 00 01 6e
        0100: 6d 64 69 61 00 00 00 20 6d 64 68 64 00 00 00 00 00 00 00 00 00 00 00 00 00 00 3a 98 00 00 00 00
        0120: 55 c4 00 00 00 00 00 2d 68 64 6c 72 00 00 00 00 00 00 00 00 76 69 64 65 00 00 00 00 00 00 00 00
        0140: 00 00 00 00 54 69 6e 79 53 74 72 65 61 6d 65 72 00 00 00 01 19 6d 69 6e 66 00 00 00 14 76 6d 68
        0160: 64 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 24 64 69 6e 66 00 00 00 1c 64 72 65 66 00 00 00
        0180: 00 00 00 00 01 00 00 00 0c 75 72 6c 20 00 00 00 01 00 00 00 d9 73 74 62 6c 00 00 00 8d 73 74 73
        01a0: 64 00 00 00 00 00 00 00 01 00 00 00 7d 61 76 63 31 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00
        01c0: 00 00 00 00 00 00 00 00 00 02 80 01 e0 00 48 00 00 00 48 00 00 00 00 00 00 00 01 00 00 00 00 00
        01e0: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 18 ff ff 00
        0200: 00 00 27 61 76 63 43 01 64 00 2a ff e1 00 0e 27 64 00 2a ac 2b 40 28 02 dd 00 f1 22 6a 01 00 06
        0220: 28 ee 02 5c b0 00 00 00 00 14 73 74 73 7a 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 10 73 74
        0240: 73 63 00 00 00 00 00 00 00 00 00 00 00 10 73 74 74 73 00 00 00 00 00 00 00 00 00 00 00 10 73 74
        0260: 63 6f 00 00 00 00 00 00 00 00 00 00 00 38 6d 76 65 78 00 00 00 10 6d 65 68 64 00 00 00 00 00 00
        0280: 00 00 00 00 00 20 74 72 65 78 00 00 00 00 00 00 00 01 00 00 00 01 00 00 00 00 00 00 00 00 00 01
        02a0: 00 00
        """);

    /// <summary>seq 0, decode time 0, duration 1, IDR, NALs [SPS, PPS, IDR slice].</summary>
    public static readonly byte[] OriginalIdrFragment = Hex.Parse("""
        0000: 00 00 00 68 6d 6f 6f 66 00 00 00 10 6d 66 68 64 00 00 00 00 00 00 00 00 00 00 00 50 74 72 61 66
        0020: 00 00 00 14 74 66 68 64 00 02 00 20 00 00 00 01 01 01 00 00 00 00 00 14 74 66 64 74 01 00 00 00
        0040: 00 00 00 00 00 00 00 00 00 00 00 20 74 72 75 6e 00 00 03 05 00 00 00 01 00 00 00 70 02 00 00 00
        0060: 00 00 00 01 00 00 00 25 00 00 00 2d 6d 64 61 74 00 00 00 0e 27 64 00 2a ac 2b 40 28 02 dd 00 f1
        0080: 22 6a 00 00 00 06 28 ee 02 5c b0 00 00 00 00 05 65 88 84 00 33
        """);

    /// <summary>seq 1, decode time 1, duration 500, non-IDR, NALs [non-IDR slice].</summary>
    public static readonly byte[] OriginalNonIdrFragment = Hex.Parse("""
        0000: 00 00 00 68 6d 6f 6f 66 00 00 00 10 6d 66 68 64 00 00 00 00 00 00 00 01 00 00 00 50 74 72 61 66
        0020: 00 00 00 14 74 66 68 64 00 02 00 20 00 00 00 01 01 01 00 00 00 00 00 14 74 66 64 74 01 00 00 00
        0040: 00 00 00 00 00 00 00 01 00 00 00 20 74 72 75 6e 00 00 03 05 00 00 00 01 00 00 00 70 01 01 00 00
        0060: 00 00 01 f4 00 00 00 07 00 00 00 0f 6d 64 61 74 00 00 00 03 41 9a 02
        """);

    /// <summary>NAL units as one AVCC sample (4-byte big-endian lengths).</summary>
    public static byte[] Avcc(params byte[][] nals)
    {
        var result = new List<byte>();
        foreach (byte[] nal in nals)
        {
            result.Add((byte)(nal.Length >> 24));
            result.Add((byte)(nal.Length >> 16));
            result.Add((byte)(nal.Length >> 8));
            result.Add((byte)nal.Length);
            result.AddRange(nal);
        }
        return result.ToArray();
    }
}
