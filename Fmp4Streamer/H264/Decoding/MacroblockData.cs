namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// One parsed macroblock, ready for reconstruction: kind, prediction modes, QP and dequantised coefficients. One
/// instance is reused for every macroblock; the transforms clear the coefficient blocks they consume.
/// </summary>
public sealed class MacroblockData
{
    public MacroblockKind Kind;
    public bool Transform8x8;

    /// <summary>Intra16x16PredMode (0..3).</summary>
    public int Intra16x16Mode;

    /// <summary>intra_chroma_pred_mode (0 DC, 1 horizontal, 2 vertical, 3 plane).</summary>
    public int ChromaMode;
    public int CbpLuma;
    public int CbpChroma;

    /// <summary>QPY after mb_qp_delta.</summary>
    public int Qp;

    /// <summary>Intra4x4PredMode by luma4x4BlkIdx (for Intra8x8, entries 0, 4, 8 and 12 by 8x8 block).</summary>
    public readonly int[] IntraModes = new int[16];

    /// <summary>Luma coefficients, raster per block: 16 entries per 4x4 block by luma4x4BlkIdx, or 64 per 8x8 block.</summary>
    public readonly int[] Luma = new int[256];

    /// <summary>Bit luma4x4BlkIdx set when that 4x4 block (or the 8x8 holding it) has a non-zero coefficient.</summary>
    public int LumaNonZero;

    /// <summary>Intra16x16 DC values after the Hadamard transform and scaling, by luma4x4BlkIdx.</summary>
    public readonly int[] LumaDc = new int[16];

    /// <summary>Chroma AC, 16 raster entries per block: Cb blocks 0..3 then Cr blocks 0..3.</summary>
    public readonly int[] Chroma = new int[128];

    /// <summary>Chroma DC after its transform and scaling: Cb 0..3 then Cr 0..3.</summary>
    public readonly int[] ChromaDc = new int[8];

    /// <summary>Bit k set when chroma block k (Cb 0..3, Cr 4..7) has non-zero AC coefficients.</summary>
    public int ChromaNonZero;

    /// <summary>Inter partitions in decoding order (up to 16): position and size in 4x4 units, list 0 index and mvd.</summary>
    public int PartCount;
    public readonly int[] PartX = new int[16];
    public readonly int[] PartY = new int[16];
    public readonly int[] PartW = new int[16];
    public readonly int[] PartH = new int[16];
    public readonly int[] PartRef = new int[16];
    public readonly int[] PartMvdX = new int[16];
    public readonly int[] PartMvdY = new int[16];

    /// <summary>
    /// B partitions: the lists each uses (<see cref="BMacroblockTypes.UseL0"/>, <see cref="BMacroblockTypes.UseL1"/>;
    /// 0 for a direct partition), and list 1's index and mvd. P partitions use list 0 only and leave these alone.
    /// </summary>
    public readonly int[] PartUse = new int[16];
    public readonly int[] PartRefL1 = new int[16];
    public readonly int[] PartMvdL1X = new int[16];
    public readonly int[] PartMvdL1Y = new int[16];

    /// <summary>Vectors after prediction, by partition.</summary>
    public readonly int[] PartMvX = new int[16];
    public readonly int[] PartMvY = new int[16];

    /// <summary>0, or 1 for 16x8 and 2 for 8x16 partitions (their directional vector prediction, 8.4.1.3).</summary>
    public int PartShape;

    /// <summary>False for P_8x8 with partitions below 8x8, where transform_size_8x8_flag is not coded.</summary>
    public bool AllowsTransform8x8;

    /// <summary>
    /// Zeroes every coefficient. Reconstruction clears what it consumes, but a macroblock abandoned half parsed (a damaged
    /// slice) leaves coefficients behind that would otherwise leak into the next picture.
    /// </summary>
    public void ClearCoefficients()
    {
        Array.Clear(Luma);
        Array.Clear(Chroma);
        Array.Clear(LumaDc);
        Array.Clear(ChromaDc);
    }

    /// <summary>I_PCM samples: 256 luma, 64 Cb, 64 Cr.</summary>
    public readonly byte[] Pcm = new byte[384];
}
