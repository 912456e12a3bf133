namespace Fmp4Streamer.Aac;

/// <summary>
/// The forward MDCT of a windowed block of N samples into N/2 coefficients, scaled so that the decoder's inverse
/// (ISO/IEC 14496-3, 4.6.11.3.1, with its 2/N factor) gives the samples back:
/// X[k] = 2 sum x[n] cos(2 pi / N (n + n0)(k + 1/2)), n0 = (N/2 + 1)/2.
/// Folded into a DCT-IV of N/2 points, computed through a complex FFT of N/4 points.
/// </summary>
internal sealed class Mdct
{
    private readonly int _n;
    private readonly float[] _foldRe, _foldIm;
    private readonly float[] _preCos, _preSin, _postCos, _postSin;
    private readonly float[] _folded;
    private readonly Fft _fft;

    public Mdct(int length)
    {
        _n = length;
        int m = length / 2, quarter = length / 4;
        _folded = new float[m];
        _foldRe = new float[quarter];
        _foldIm = new float[quarter];
        _preCos = new float[quarter];
        _preSin = new float[quarter];
        _postCos = new float[quarter];
        _postSin = new float[quarter];
        for (int i = 0; i < quarter; i++)
        {
            double pre = Math.PI * (i + 0.25) / m, post = Math.PI * i / m;
            _preCos[i] = (float)Math.Cos(pre);
            _preSin[i] = (float)Math.Sin(pre);
            // The factor 2 of the standard's forward transform goes into the last twiddle.
            _postCos[i] = (float)(2 * Math.Cos(post));
            _postSin[i] = (float)(2 * Math.Sin(post));
        }
        _fft = new Fft(quarter);
    }

    public int Length => _n;

    /// <summary>Transforms <paramref name="input"/> (N windowed samples) into <paramref name="output"/> (N/2).</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        int m = _n / 2, h = _n / 4;
        // The MDCT of the quarters (a, b, c, d) is the DCT-IV of (-c reversed - d, a - b reversed).
        ReadOnlySpan<float> a = input[..h], b = input[h..m], c = input[m..(m + h)], d = input[(m + h)..];
        Span<float> v = _folded;
        for (int i = 0; i < h; i++)
        {
            v[i] = -c[h - 1 - i] - d[i];
            v[h + i] = a[i] - b[h - 1 - i];
        }
        // DCT-IV by an N/4-point complex FFT: pair even and reversed odd inputs, twiddle, transform, twiddle.
        float[] re = _foldRe, im = _foldIm;
        for (int i = 0; i < h; i++)
        {
            float x = v[2 * i], y = v[m - 1 - 2 * i];
            re[i] = x * _preCos[i] + y * _preSin[i];
            im[i] = y * _preCos[i] - x * _preSin[i];
        }
        _fft.Forward(re, im);
        for (int k = 0; k < h; k++)
        {
            float x = re[k] * _postCos[k] + im[k] * _postSin[k];
            float y = im[k] * _postCos[k] - re[k] * _postSin[k];
            output[2 * k] = x;
            output[m - 1 - 2 * k] = -y;
        }
    }
}
