namespace Fmp4Streamer.Aac;

/// <summary>
/// Constant bitrate with a reservoir: every frame earns the average (bitrate * 1024 / rate bits); frames below it
/// save the rest, frames with transients may spend savings, no frame spends more than it has (so the long-run rate
/// never exceeds the target), and savings above the reservoir's size are padded out with fill bits (so it never
/// falls below). The reservoir is at most what a decoder's 6144 bits per channel buffer allows.
/// </summary>
internal sealed class BitReservoir
{
    private readonly double _average;
    private readonly double _size;
    private readonly int _largestFrame;
    private double _fullness;

    public BitReservoir(int bitrate, int sampleRate, int channels)
    {
        _average = bitrate * 1024.0 / sampleRate;
        _largestFrame = 6144 * channels;
        // 64 bits below the largest frame leave room for the byte alignment and a fill element's rounding.
        _size = Math.Max(0, Math.Min(_largestFrame - 64 - _average, 4 * _average));
    }

    public double AverageBits => _average;

    /// <summary>The most a frame may use.</summary>
    public int MaximumBits => (int)Math.Min(_average + _fullness, _largestFrame);

    /// <summary>
    /// What the rate loop aims at: the average, steered toward a half-full reservoir, plus half again for frames
    /// with short windows (transients cost more at the same quality).
    /// </summary>
    public int TargetBits(bool transient)
    {
        double target = _average + 0.25 * (_fullness - _size / 2);
        if (transient) target += Math.Min(0.5 * _average, 0.5 * _fullness);
        return (int)Math.Clamp(target, 0.5 * _average, MaximumBits);
    }

    /// <summary>The fill bits a frame of <paramref name="usedBits"/> must add to keep the reservoir in size.</summary>
    public int FillBitsFor(int usedBits) => (int)Math.Max(0, Math.Ceiling(_fullness + _average - usedBits - _size));

    public void Commit(int usedBits) => _fullness += _average - usedBits;
}
