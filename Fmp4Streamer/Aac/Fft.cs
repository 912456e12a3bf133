namespace Fmp4Streamer.Aac;

/// <summary>An in-place radix-2 complex FFT of a fixed power-of-two size, forward (e^-i).</summary>
internal sealed class Fft
{
    private readonly int _size;
    private readonly int[] _bitReversed;
    private readonly float[] _cos, _sin;

    public Fft(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(size));
        _size = size;
        _bitReversed = new int[size];
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
            _bitReversed[i] = r;
        }
        _cos = new float[size / 2];
        _sin = new float[size / 2];
        for (int i = 0; i < size / 2; i++)
        {
            _cos[i] = (float)Math.Cos(2 * Math.PI * i / size);
            _sin[i] = (float)Math.Sin(2 * Math.PI * i / size);
        }
    }

    public void Forward(Span<float> re, Span<float> im)
    {
        int n = _size;
        for (int i = 0; i < n; i++)
        {
            int j = _bitReversed[i];
            if (j > i)
            {
                (re[i], re[j]) = (re[j], re[i]);
                (im[i], im[j]) = (im[j], im[i]);
            }
        }
        for (int span = 1; span < n; span <<= 1)
        {
            int step = n / (span * 2);
            for (int start = 0; start < n; start += span * 2)
            {
                for (int k = 0; k < span; k++)
                {
                    float wr = _cos[k * step], wi = -_sin[k * step];
                    int p = start + k, q = p + span;
                    float tr = re[q] * wr - im[q] * wi;
                    float ti = re[q] * wi + im[q] * wr;
                    re[q] = re[p] - tr;
                    im[q] = im[p] - ti;
                    re[p] += tr;
                    im[p] += ti;
                }
            }
        }
    }
}
