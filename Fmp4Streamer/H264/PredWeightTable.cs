using System.Runtime.CompilerServices;

namespace Fmp4Streamer.H264;

/// <summary>
/// pred_weight_table() (H.264 7.3.3.2): the denominators and one <see cref="PredWeight"/> per active reference
/// index of list 0 and, in B slices, list 1. Reused from slice to slice; allocates nothing.
/// </summary>
public sealed class PredWeightTable
{
    /// <summary>num_ref_idx_lX_active_minus1 is at most 31 (field decoding).</summary>
    public const int MaxReferences = 32;

    private Weights _l0;
    private Weights _l1;

    public int LumaLog2WeightDenom { get; private set; }

    /// <summary>0 when the stream has no chroma (ChromaArrayType 0).</summary>
    public int ChromaLog2WeightDenom { get; private set; }

    /// <summary>Entries in list 0 and list 1 (the slice's num_ref_idx_lX_active).</summary>
    public int CountL0 { get; private set; }
    public int CountL1 { get; private set; }

    public PredWeight L0(int refIdx) =>
        (uint)refIdx < (uint)CountL0 ? _l0[refIdx] : throw new ArgumentOutOfRangeException(nameof(refIdx));

    public PredWeight L1(int refIdx) =>
        (uint)refIdx < (uint)CountL1 ? _l1[refIdx] : throw new ArgumentOutOfRangeException(nameof(refIdx));

    internal void Clear() => CountL0 = CountL1 = 0;

    internal bool TryRead(ref BitReader r, int chromaArrayType, int countL0, int countL1)
    {
        Clear();
        uint lumaDenom = r.ReadUe();
        uint chromaDenom = chromaArrayType != 0 ? r.ReadUe() : 0;
        if (r.Failed || lumaDenom > 7 || chromaDenom > 7) return false;
        LumaLog2WeightDenom = (int)lumaDenom;
        ChromaLog2WeightDenom = (int)chromaDenom;
        if (!TryReadList(ref r, chromaArrayType != 0, countL0, ref _l0)) return false;
        CountL0 = countL0;
        if (!TryReadList(ref r, chromaArrayType != 0, countL1, ref _l1)) return false;
        CountL1 = countL1;
        return true;
    }

    private bool TryReadList(ref BitReader r, bool hasChroma, int count, ref Weights list)
    {
        int lumaDefault = 1 << LumaLog2WeightDenom, chromaDefault = 1 << ChromaLog2WeightDenom;
        for (int i = 0; i < count; i++)
        {
            bool lumaFlag = r.ReadFlag();
            int lumaWeight = lumaDefault, lumaOffset = 0;
            if (lumaFlag)
            {
                lumaWeight = r.ReadSe();
                lumaOffset = r.ReadSe();
            }
            bool chromaFlag = hasChroma && r.ReadFlag();
            int cbWeight = chromaDefault, cbOffset = 0, crWeight = chromaDefault, crOffset = 0;
            if (chromaFlag)
            {
                cbWeight = r.ReadSe();
                cbOffset = r.ReadSe();
                crWeight = r.ReadSe();
                crOffset = r.ReadSe();
            }
            // 7.4.3.2: coded weights and offsets lie in -128..127 (a default weight may be 128).
            if (r.Failed || (lumaFlag && (!InRange(lumaWeight) || !InRange(lumaOffset)))
                || (chromaFlag && (!InRange(cbWeight) || !InRange(cbOffset) || !InRange(crWeight) || !InRange(crOffset))))
            {
                return false;
            }
            list[i] = new PredWeight(lumaFlag, lumaWeight, lumaOffset, chromaFlag, cbWeight, cbOffset, crWeight, crOffset);
        }
        return true;
    }

    private static bool InRange(int value) => value is >= -128 and <= 127;

    [InlineArray(MaxReferences)]
    private struct Weights
    {
        private PredWeight _first;
    }
}
