namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// What the decoder remembers about every macroblock of the picture being decoded: its slice, kind and QP, and per
/// 4x4 block the coefficient counts (nC prediction, 9.2.1) and intra prediction modes (8.3.1.1). Grids are sized
/// once per picture size and reused; later users (deblocking, motion detection) read them after decoding.
/// </summary>
public sealed class MacroblockGrid
{
    public MacroblockGrid(int widthInMbs, int heightInMbs)
    {
        WidthInMbs = widthInMbs;
        HeightInMbs = heightInMbs;
        int count = widthInMbs * heightInMbs;
        SliceNumber = new int[count];
        Kind = new MacroblockKind[count];
        Qp = new byte[count];
        Transform8x8 = new bool[count];
        LumaTotalCoeff = new byte[count * 16];
        CbTotalCoeff = new byte[count * 4];
        CrTotalCoeff = new byte[count * 4];
        IntraModes = new sbyte[count * 16];
        CodedBlock = new byte[count * 16];
        ChromaPredMode = new byte[count];
        MvdX = new short[count * 16];
        MvdY = new short[count * 16];
        Cbp = new byte[count];
        CodedDc = new byte[count];
        MvdL1X = new short[count * 16];
        MvdL1Y = new short[count * 16];
        DirectMask = new byte[count];
        Motion = new MotionField(count * 16);
        SliceNumber.AsSpan().Fill(-1);
    }

    /// <summary>Makes <paramref name="motion"/> (the picture being decoded's own) the field the vectors go to.</summary>
    public void Attach(MotionField motion)
    {
        if (motion.BlockCount != WidthInMbs * HeightInMbs * 16) throw new ArgumentException("motion field of another size", nameof(motion));
        Motion = motion;
    }

    public int WidthInMbs { get; }
    public int HeightInMbs { get; }

    /// <summary>Decoder-wide slice counter value of the slice that decoded the macroblock; -1 before any.</summary>
    public int[] SliceNumber { get; }
    public MacroblockKind[] Kind { get; }

    /// <summary>QPY of the macroblock (for I_PCM the predicted QP; deblocking uses 0 for I_PCM itself).</summary>
    public byte[] Qp { get; }
    public bool[] Transform8x8 { get; }

    /// <summary>TotalCoeff per luma 4x4 block, on a grid 4 * WidthInMbs wide.</summary>
    public byte[] LumaTotalCoeff { get; }

    /// <summary>TotalCoeff per chroma AC block, on a grid 2 * WidthInMbs wide.</summary>
    public byte[] CbTotalCoeff { get; }
    public byte[] CrTotalCoeff { get; }

    /// <summary>Intra4x4PredMode per 4x4 block (Intra8x8 modes repeated over their four blocks), grid 4 * WidthInMbs wide.</summary>
    public sbyte[] IntraModes { get; }

    /// <summary>Absolute list 0 motion vector differences per 4x4 block (CABAC mvd contexts); 0 for skipped and intra.</summary>
    public short[] MvdX { get; }
    public short[] MvdY { get; }

    /// <summary>intra_chroma_pred_mode per macroblock (CABAC context selection).</summary>
    public byte[] ChromaPredMode { get; }

    /// <summary>coded_block_pattern per macroblock: luma bits 0..3, chroma in bits 4..5.</summary>
    public byte[] Cbp { get; }

    /// <summary>coded_block_flag of the DC blocks per macroblock: bit 0 luma (Intra16x16), bit 1 Cb, bit 2 Cr.</summary>
    public byte[] CodedDc { get; }

    /// <summary>1 where the 4x4 luma block (or the 8x8 block holding it, with the 8x8 transform) has coefficients: deblocking's bS 2.</summary>
    public byte[] CodedBlock { get; }

    /// <summary>Absolute list 1 motion vector differences per 4x4 block (B slices).</summary>
    public short[] MvdL1X { get; }
    public short[] MvdL1Y { get; }

    /// <summary>Per macroblock, bit k set when 8x8 block k was predicted in direct mode (B_Skip, B_Direct_16x16: all four).</summary>
    public byte[] DirectMask { get; }

    /// <summary>Vectors and reference indices of both lists of the picture being decoded (or last decoded).</summary>
    public MotionField Motion { get; private set; }

    /// <summary>List 0 motion vector per 4x4 block in quarter samples, grid 4 * WidthInMbs wide.</summary>
    public short[] MvX => Motion.MvX[0];
    public short[] MvY => Motion.MvY[0];

    /// <summary>List 0 reference index per 4x4 block; -1 for intra or where list 0 is unused.</summary>
    public sbyte[] RefIdx => Motion.RefIdx[0];

    /// <summary><see cref="DecodedPicture.Id"/> of the list 0 reference per 4x4 block (deblocking compares pictures, not indices).</summary>
    public int[] RefPicId => Motion.RefPicId[0];

    /// <summary>P_Skip and B_Skip: no syntax beyond the skip itself.</summary>
    public static bool IsSkip(MacroblockKind kind) => kind is MacroblockKind.PSkip or MacroblockKind.BSkip;

    public static bool IsIntra(MacroblockKind kind) => kind is MacroblockKind.Intra4x4 or MacroblockKind.Intra8x8
        or MacroblockKind.Intra16x16 or MacroblockKind.IPcm;
}
