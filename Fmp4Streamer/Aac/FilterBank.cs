namespace Fmp4Streamer.Aac;

/// <summary>
/// Windows a frame of 2048 samples (the previous block and this one) by its window sequence and shapes and turns it
/// into 1024 MDCT coefficients: one long transform, or eight short ones of 128 coefficients each, stored window
/// after window (ISO/IEC 14496-3, 4.6.11.3: the windows the decoder's overlap-add expects).
/// </summary>
internal sealed class FilterBank
{
    public const int FrameLength = 1024, ShortLength = 128;
    private const int ShortStart = 448; // (1024 - 128) / 2: where the first short window begins

    private readonly float[][] _longRise = [WindowShape.Rising(WindowShape.Sine, 2048), WindowShape.Rising(WindowShape.KaiserBesselDerived, 2048)];
    private readonly float[][] _shortRise = [WindowShape.Rising(WindowShape.Sine, 256), WindowShape.Rising(WindowShape.KaiserBesselDerived, 256)];
    private readonly Mdct _long = new(2048), _short = new(256);
    private readonly float[] _windowed = new float[2048];

    /// <summary>
    /// Transforms <paramref name="frame"/> (2048 samples) into <paramref name="coefficients"/> (1024). The left
    /// half uses the previous frame's window shape, the right half this frame's.
    /// </summary>
    public void Analyze(ReadOnlySpan<float> frame, WindowSequence sequence, int previousShape, int shape, Span<float> coefficients)
    {
        Span<float> w = _windowed;
        float[] longRise = _longRise[previousShape], longFall = _longRise[shape];
        float[] shortRisePrevious = _shortRise[previousShape], shortRise = _shortRise[shape];
        switch (sequence)
        {
            case WindowSequence.EightShort:
                for (int win = 0; win < 8; win++)
                {
                    ReadOnlySpan<float> x = frame.Slice(ShortStart + win * ShortLength, 2 * ShortLength);
                    float[] rise = win == 0 ? shortRisePrevious : shortRise;
                    Span<float> ws = w[..(2 * ShortLength)];
                    for (int n = 0; n < ShortLength; n++)
                    {
                        ws[n] = x[n] * rise[n];
                        ws[ShortLength + n] = x[ShortLength + n] * shortRise[ShortLength - 1 - n];
                    }
                    _short.Forward(ws, coefficients.Slice(win * ShortLength, ShortLength));
                }
                return;
            case WindowSequence.OnlyLong:
            case WindowSequence.LongStart:
                for (int n = 0; n < FrameLength; n++) w[n] = frame[n] * longRise[n];
                break;
            case WindowSequence.LongStop:
                w[..ShortStart].Clear();
                for (int n = 0; n < ShortLength; n++) w[ShortStart + n] = frame[ShortStart + n] * shortRisePrevious[n];
                for (int n = ShortStart + ShortLength; n < FrameLength; n++) w[n] = frame[n];
                break;
        }
        if (sequence == WindowSequence.LongStart)
        {
            int flatEnd = FrameLength + ShortStart;
            for (int n = FrameLength; n < flatEnd; n++) w[n] = frame[n];
            for (int n = 0; n < ShortLength; n++) w[flatEnd + n] = frame[flatEnd + n] * shortRise[ShortLength - 1 - n];
            w[(flatEnd + ShortLength)..].Clear();
        }
        else
        {
            for (int n = 0; n < FrameLength; n++) w[FrameLength + n] = frame[FrameLength + n] * longFall[FrameLength - 1 - n];
        }
        _long.Forward(w, coefficients);
    }
}
