namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Puts decoded pictures into display order (H.264 C.4.5.3 "bumping", bounded by the stream's reorder depth): a
/// picture waits until more than the depth are waiting, then the one with the smallest PicOrderCnt goes out. An IDR
/// or a memory_management_control_operation 5 starts a new order, so everything waiting goes out first.
/// </summary>
public sealed class OutputReorderBuffer
{
    /// <summary>More than the DPB can hold: a larger coded depth is damage, clamped rather than trusted.</summary>
    public const int MaxDepth = 16;

    private readonly DecodedPicture[] _waiting = new DecodedPicture[MaxDepth + 1];
    private int _count;
    private long _nextOutputIndex;

    /// <summary>Pictures waiting for their turn.</summary>
    public int Count => _count;

    /// <summary>Adds a decoded picture and moves to <paramref name="output"/> every picture that may now be shown.</summary>
    public void Add(DecodedPicture picture, int reorderDepth, Queue<DecodedPicture> output)
    {
        int depth = Math.Clamp(reorderDepth, 0, MaxDepth);
        _waiting[_count++] = picture;
        while (_count > depth) Bump(output);
    }

    /// <summary>Moves every waiting picture to <paramref name="output"/> in display order.</summary>
    public void Flush(Queue<DecodedPicture> output)
    {
        while (_count > 0) Bump(output);
    }

    private void Bump(Queue<DecodedPicture> output)
    {
        int first = 0;
        for (int i = 1; i < _count; i++)
        {
            if (_waiting[i].PicOrderCnt < _waiting[first].PicOrderCnt) first = i;
        }
        DecodedPicture picture = _waiting[first];
        // Keep decode order among the rest so equal counts (damaged streams) still leave first in, first out.
        for (int i = first + 1; i < _count; i++) _waiting[i - 1] = _waiting[i];
        _waiting[--_count] = null!;
        picture.OutputIndex = _nextOutputIndex++;
        output.Enqueue(picture);
    }
}
