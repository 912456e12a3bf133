using System.Runtime.CompilerServices;

namespace Fmp4Streamer.H264;

/// <summary>
/// dec_ref_pic_marking() (H.264 7.3.3.3) of a reference slice: the two IDR flags, or the adaptive memory control
/// operations in order (without the final 0). Reused from slice to slice; allocates nothing.
/// </summary>
public sealed class RefPicMarking
{
    /// <summary>More than any valid stream needs (each operation acts on a distinct reference picture or index).</summary>
    public const int MaxOperations = 66;

    private Operations _operations;

    /// <summary>no_output_of_prior_pics_flag (IDR only).</summary>
    public bool NoOutputOfPriorPics { get; private set; }

    /// <summary>long_term_reference_flag (IDR only).</summary>
    public bool LongTermReference { get; private set; }

    /// <summary>adaptive_ref_pic_marking_mode_flag (non-IDR only): false means the sliding window.</summary>
    public bool AdaptiveRefPicMarkingMode { get; private set; }
    public int Count { get; private set; }

    /// <summary>True when an operation is 5: the picture restarts frame_num and picture order count.</summary>
    public bool HasMemoryManagementControlOperation5 { get; private set; }

    public MemoryManagementOperation this[int index] =>
        (uint)index < (uint)Count ? _operations[index] : throw new ArgumentOutOfRangeException(nameof(index));

    internal void Clear()
    {
        NoOutputOfPriorPics = LongTermReference = AdaptiveRefPicMarkingMode = HasMemoryManagementControlOperation5 = false;
        Count = 0;
    }

    internal bool TryRead(ref BitReader r, bool idr)
    {
        Clear();
        if (idr)
        {
            NoOutputOfPriorPics = r.ReadFlag();
            LongTermReference = r.ReadFlag();
            return !r.Failed;
        }
        AdaptiveRefPicMarkingMode = r.ReadFlag();
        if (!AdaptiveRefPicMarkingMode) return !r.Failed;
        while (true)
        {
            uint operation = r.ReadUe();
            if (r.Failed || operation > 6) return false;
            if (operation == 0) return true;
            if (Count == MaxOperations) return false;
            uint difference = 0, longTermPicNum = 0, longTermFrameIdx = 0, maxLongTermFrameIdxPlus1 = 0;
            if (operation is 1 or 3) difference = r.ReadUe();
            if (operation == 2) longTermPicNum = r.ReadUe();
            if (operation is 3 or 6) longTermFrameIdx = r.ReadUe();
            if (operation == 4) maxLongTermFrameIdxPlus1 = r.ReadUe();
            // Picture numbers stay below 2 * MaxFrameNum (2^17), long-term indices below 16 (7.4.3.3).
            if (r.Failed || difference > 1 << 17 || longTermPicNum > 1 << 17 || longTermFrameIdx > 16
                || maxLongTermFrameIdxPlus1 > 17)
            {
                return false;
            }
            if (operation == 5) HasMemoryManagementControlOperation5 = true;
            _operations[Count++] = new MemoryManagementOperation((int)operation, (int)difference, (int)longTermPicNum,
                (int)longTermFrameIdx, (int)maxLongTermFrameIdxPlus1);
        }
    }

    [InlineArray(MaxOperations)]
    private struct Operations
    {
        private MemoryManagementOperation _first;
    }
}
