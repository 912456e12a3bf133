namespace Fmp4Streamer.M2MCheck;

/// <summary>
/// Copies of the last captured frames, keyed by their capture timestamps, so a decoded frame can be matched to the
/// frame it came from (the codecs carry the timestamp through) and compared with it and with its neighbour.
/// </summary>
public sealed class FrameLedger
{
    private const int Slots = 32;
    private readonly byte[][] _frames = new byte[Slots][];
    private readonly int[] _lengths = new int[Slots];
    private readonly long[] _timestamps = new long[Slots];
    private int _next;
    private int _count;

    public FrameLedger(int maxFrameBytes)
    {
        for (int i = 0; i < Slots; i++) _frames[i] = new byte[maxFrameBytes];
    }

    public void Record(ReadOnlySpan<byte> frame, long timestampUs)
    {
        int slot = _next;
        int length = Math.Min(frame.Length, _frames[slot].Length);
        frame[..length].CopyTo(_frames[slot]);
        _lengths[slot] = length;
        _timestamps[slot] = timestampUs;
        _next = (slot + 1) % Slots;
        if (_count < Slots) _count++;
    }

    /// <summary>The captured frame stamped <paramref name="timestampUs"/> and the one captured just before it.</summary>
    public bool TryFind(long timestampUs, out ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> previous)
    {
        frame = default;
        previous = default;
        for (int age = 0; age < _count; age++)
        {
            int slot = (_next - 1 - age + Slots) % Slots;
            if (_timestamps[slot] != timestampUs) continue;
            frame = _frames[slot].AsSpan(0, _lengths[slot]);
            if (age + 1 < _count)
            {
                int before = (slot - 1 + Slots) % Slots;
                previous = _frames[before].AsSpan(0, _lengths[before]);
            }
            return true;
        }
        return false;
    }

    /// <summary>Peak signal-to-noise ratio of two 8-bit pictures in dB (99 when identical).</summary>
    public static double Psnr(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int n = Math.Min(a.Length, b.Length);
        if (n == 0) return 0;
        long sum = 0;
        for (int i = 0; i < n; i++)
        {
            int d = a[i] - b[i];
            sum += d * d;
        }
        if (sum == 0) return 99;
        double mse = (double)sum / n;
        return 10 * Math.Log10(255.0 * 255.0 / mse);
    }
}
