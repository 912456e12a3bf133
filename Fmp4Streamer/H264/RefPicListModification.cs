using System.Runtime.CompilerServices;

namespace Fmp4Streamer.H264;

/// <summary>
/// ref_pic_list_modification() for one list (H.264 7.3.3.1): the operations in order, without the final idc 3.
/// Reused from slice to slice: reading it again overwrites it and allocates nothing.
/// </summary>
public sealed class RefPicListModification
{
    /// <summary>7.4.3.1: at most num_ref_idx_lX_active_minus1 + 1 operations, and that is at most 32.</summary>
    public const int MaxOperations = 32;

    private Operations _operations;

    /// <summary>ref_pic_list_modification_flag_lX.</summary>
    public bool Present { get; private set; }
    public int Count { get; private set; }

    public RefPicListModificationOperation this[int index] =>
        (uint)index < (uint)Count ? _operations[index] : throw new ArgumentOutOfRangeException(nameof(index));

    internal void Clear()
    {
        Present = false;
        Count = 0;
    }

    /// <summary>Reads the flag and, when set, the operations up to idc 3; false on an invalid idc or too many operations.</summary>
    internal bool TryRead(ref BitReader r, int maxOperations)
    {
        Clear();
        Present = r.ReadFlag();
        if (!Present) return !r.Failed;
        while (true)
        {
            uint idc = r.ReadUe();
            if (r.Failed || idc > 3) return false;
            if (idc == 3) return true;
            if (Count == maxOperations) return false;
            uint value = r.ReadUe();
            if (r.Failed || value > int.MaxValue) return false;
            _operations[Count++] = new RefPicListModificationOperation((int)idc, (int)value);
        }
    }

    [InlineArray(MaxOperations)]
    private struct Operations
    {
        private RefPicListModificationOperation _first;
    }
}
