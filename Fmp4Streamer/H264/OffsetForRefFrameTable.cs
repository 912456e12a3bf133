using System.Runtime.CompilerServices;

namespace Fmp4Streamer.H264;

/// <summary>
/// offset_for_ref_frame[0..254] of a picture order count type 1 SPS (H.264 7.4.2.1.1), stored inline so an SPS
/// stays one value with value equality.
/// </summary>
[InlineArray(MaxLength)]
public struct OffsetForRefFrameTable : IEquatable<OffsetForRefFrameTable>
{
    /// <summary>num_ref_frames_in_pic_order_cnt_cycle is at most 255.</summary>
    public const int MaxLength = 255;

    private int _first;

    public readonly bool Equals(OffsetForRefFrameTable other) =>
        ((ReadOnlySpan<int>)this).SequenceEqual((ReadOnlySpan<int>)other);

    public override readonly bool Equals(object? obj) => obj is OffsetForRefFrameTable other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        foreach (int value in (ReadOnlySpan<int>)this) hash.Add(value);
        return hash.ToHashCode();
    }
}
