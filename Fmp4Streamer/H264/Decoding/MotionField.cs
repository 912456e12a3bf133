namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The motion of one picture per 4x4 luma block for both reference lists: vectors in quarter samples, reference
/// indices (-1 where the list is not used, both -1 for intra) and the <see cref="DecodedPicture.Id"/> each index
/// named. It stays with its picture, so a later B picture can read it as the co-located picture of direct
/// prediction (8.4.1.2.1); the macroblock grid writes into the field of the picture being decoded.
/// </summary>
public sealed class MotionField
{
    /// <summary>Reference picture id of a list a block does not use.</summary>
    public const int NoPicture = -1;

    public MotionField(int blockCount)
    {
        BlockCount = blockCount;
        for (int list = 0; list < 2; list++)
        {
            MvX[list] = new short[blockCount];
            MvY[list] = new short[blockCount];
            RefIdx[list] = new sbyte[blockCount];
            RefPicId[list] = new int[blockCount];
            RefIdx[list].AsSpan().Fill(-1);
            RefPicId[list].AsSpan().Fill(NoPicture);
        }
    }

    public int BlockCount { get; }

    /// <summary>By list (0 or 1), then by 4x4 block on a grid 4 * WidthInMbs wide.</summary>
    public short[][] MvX { get; } = new short[2][];
    public short[][] MvY { get; } = new short[2][];
    public sbyte[][] RefIdx { get; } = new sbyte[2][];
    public int[][] RefPicId { get; } = new int[2][];
}
