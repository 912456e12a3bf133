namespace Fmp4Streamer.H264.Decoding;

/// <summary>The parameters of every slice of the picture being decoded, found by slice number (deblocking needs them per macroblock).</summary>
public sealed class SliceTable
{
    private SliceParameters[] _slices = new SliceParameters[16];
    private int _first;
    private int _count;

    /// <summary>Forgets the previous picture's slices; the next slice added gets <paramref name="firstSliceNumber"/>.</summary>
    public void Reset(int firstSliceNumber)
    {
        _first = firstSliceNumber;
        _count = 0;
    }

    public void Add(in SliceParameters slice)
    {
        int index = slice.SliceNumber - _first;
        if (index < 0) return;
        if (index >= _slices.Length) Array.Resize(ref _slices, Math.Max(index + 1, _slices.Length * 2));
        _slices[index] = slice;
        _count = Math.Max(_count, index + 1);
    }

    public ref readonly SliceParameters Get(int sliceNumber) => ref _slices[Math.Clamp(sliceNumber - _first, 0, Math.Max(_count - 1, 0))];
}
