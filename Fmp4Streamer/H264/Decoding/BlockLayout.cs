namespace Fmp4Streamer.H264.Decoding;

/// <summary>Where each luma4x4BlkIdx sits in its macroblock (6.4.3), in 4x4 block units, and the chroma QP table.</summary>
public static class BlockLayout
{
    public static ReadOnlySpan<byte> X => [0, 1, 0, 1, 2, 3, 2, 3, 0, 1, 0, 1, 2, 3, 2, 3];
    public static ReadOnlySpan<byte> Y => [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3];

    /// <summary>luma4x4BlkIdx of the block at raster position y * 4 + x.</summary>
    public static ReadOnlySpan<byte> IndexOfRaster => [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15];

    /// <summary>
    /// True when the 4x4 block's above-right neighbour inside the same macroblock is decoded before it (6.4.11.4);
    /// blocks on the top row depend on macroblocks B and C instead.
    /// </summary>
    public static ReadOnlySpan<bool> TopRightInside =>
        [false, false, true, false, false, false, true, false, true, true, true, false, true, false, true, false];

    /// <summary>QPC for qPI 0..51 (Table 8-15).</summary>
    public static ReadOnlySpan<byte> ChromaQp =>
    [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
        29, 30, 31, 32, 32, 33, 34, 34, 35, 35, 36, 36, 37, 37, 37, 38, 38, 38, 39, 39, 39, 39,
    ];

    public static int ChromaQpFor(int qpY, int offset) => ChromaQp[Math.Clamp(qpY + offset, 0, 51)];
}
