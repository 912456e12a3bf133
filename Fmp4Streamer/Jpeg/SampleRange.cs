namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Sample value to level-shifted DCT input: clamp((v − Offset) · Scale + Bias, −128, 127). JFIF pictures are full range
/// (0..255), and browsers show them so; cameras and H.264 streams are nearly always limited range (luma 16..235, chroma
/// 16..240), which would look washed out if copied across unchanged, so their samples are expanded on the way in.
/// The scalar and the vector loaders evaluate the same float expression, so both give the same samples.
/// </summary>
public sealed class SampleRange
{
    private readonly float[] _table = new float[256];

    private SampleRange(float offset, float scale, float bias)
    {
        Offset = offset;
        Scale = scale;
        Bias = bias;
        for (int v = 0; v < 256; v++) _table[v] = Math.Clamp((v - offset) * scale + bias, -128f, 127f);
    }

    public float Offset { get; }
    public float Scale { get; }
    public float Bias { get; }

    /// <summary>The mapped value of every byte, for the scalar loader.</summary>
    public ReadOnlySpan<float> Table => _table;

    public static readonly SampleRange FullRange = new(128f, 1f, 0f);
    public static readonly SampleRange LimitedLuma = new(16f, 255f / 219f, -128f);
    public static readonly SampleRange LimitedChroma = new(128f, 255f / 224f, 0f);
}
