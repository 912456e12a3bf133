namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// LevelScale4x4 and LevelScale8x8 of H.264 8.5.9 (weightScale * normAdjust) for the six 4x4 and the six 8x8 scaling
/// lists of a picture, by qP % 6, in raster order. Rebuilt only when the scaling lists change.
/// </summary>
public sealed class DequantTables
{
    /// <summary>4x4 lists: Y, Cb, Cr intra, then Y, Cb, Cr inter.</summary>
    public const int IntraY = 0;
    public const int InterY = 3;

    private readonly int[] _scale4x4 = new int[6 * 6 * 16];
    private readonly int[] _scale8x8 = new int[6 * 6 * 64];
    private readonly byte[] _lists = new byte[6 * 16 + 6 * 64];
    private bool _built;

    public DequantTables()
    {
        Span<byte> flat = stackalloc byte[6 * 16 + 6 * 64];
        flat.Fill(16);
        Build(flat.Slice(0, 96), flat.Slice(96));
    }

    /// <summary>LevelScale4x4 of list <paramref name="list"/> for qP % 6 == <paramref name="qpRem"/>, 16 raster entries.</summary>
    public ReadOnlySpan<int> Scale4x4(int list, int qpRem) => _scale4x4.AsSpan((list * 6 + qpRem) * 16, 16);

    /// <summary>LevelScale8x8 of 8x8 list <paramref name="list"/> (0 Y intra, 1 Y inter, ...), 64 raster entries.</summary>
    public ReadOnlySpan<int> Scale8x8(int list, int qpRem) => _scale8x8.AsSpan((list * 6 + qpRem) * 64, 64);

    /// <summary>
    /// Takes the six 4x4 lists (96 bytes) and six 8x8 lists (384 bytes), each in zig-zag order as coded; does nothing
    /// when they equal the current ones.
    /// </summary>
    public void Build(ReadOnlySpan<byte> lists4x4, ReadOnlySpan<byte> lists8x8)
    {
        if (_built && lists4x4.SequenceEqual(_lists.AsSpan(0, 96)) && lists8x8.SequenceEqual(_lists.AsSpan(96))) return;
        lists4x4.CopyTo(_lists);
        lists8x8.CopyTo(_lists.AsSpan(96));
        _built = true;

        ReadOnlySpan<byte> zigzag4 = ScanOrder.ZigZag4x4;
        ReadOnlySpan<byte> zigzag8 = ScanOrder.ZigZag8x8;
        for (int list = 0; list < 6; list++)
        {
            for (int m = 0; m < 6; m++)
            {
                for (int k = 0; k < 16; k++)
                {
                    int raster = zigzag4[k];
                    _scale4x4[(list * 6 + m) * 16 + raster] = lists4x4[list * 16 + k] * NormAdjust4x4(m, raster & 3, raster >> 2);
                }
                for (int k = 0; k < 64; k++)
                {
                    int raster = zigzag8[k];
                    _scale8x8[(list * 6 + m) * 64 + raster] = lists8x8[list * 64 + k] * NormAdjust8x8(m, raster & 7, raster >> 3);
                }
            }
        }
    }

    // Equations 8-315 and 8-318 (v of Table 8-15's rows).
    private static ReadOnlySpan<byte> V4x4 => [10, 16, 13, 11, 18, 14, 13, 20, 16, 14, 23, 18, 16, 25, 20, 18, 29, 23];

    private static ReadOnlySpan<byte> V8x8 =>
    [
        20, 18, 32, 19, 25, 24, 22, 19, 35, 21, 28, 26, 26, 23, 42, 24, 33, 31,
        28, 25, 45, 26, 35, 33, 32, 28, 51, 30, 40, 38, 36, 32, 58, 34, 46, 43,
    ];

    private static int NormAdjust4x4(int m, int x, int y)
    {
        int column = (x & 1) == 0 && (y & 1) == 0 ? 0 : (x & 1) == 1 && (y & 1) == 1 ? 1 : 2;
        return V4x4[m * 3 + column];
    }

    private static int NormAdjust8x8(int m, int x, int y)
    {
        int column;
        if (x % 4 == 0 && y % 4 == 0) column = 0;
        else if (x % 2 == 1 && y % 2 == 1) column = 1;
        else if (x % 4 == 2 && y % 4 == 2) column = 2;
        else if ((x % 4 == 0 && y % 2 == 1) || (x % 2 == 1 && y % 4 == 0)) column = 3;
        else if ((x % 4 == 0 && y % 4 == 2) || (x % 4 == 2 && y % 4 == 0)) column = 4;
        else column = 5;
        return V8x8[m * 6 + column];
    }
}
