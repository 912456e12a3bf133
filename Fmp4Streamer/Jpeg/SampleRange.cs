namespace Fmp4Streamer.Jpeg;

/// <summary>
/// Sample value to level-shifted DCT input. JFIF pictures are full range (0..255), and browsers show them so; cameras
/// and H.264 streams are nearly always limited range (luma 16..235, chroma 16..240), which would look washed out
/// if copied across unchanged, so their samples are expanded on the way in.
/// </summary>
public static class SampleRange
{
    public static readonly float[] FullRange = Build(v => v - 128f);
    public static readonly float[] LimitedLuma = Build(v => Math.Clamp((v - 16) * 255f / 219f, 0f, 255f) - 128f);
    public static readonly float[] LimitedChroma = Build(v => Math.Clamp((v - 128) * 255f / 224f, -128f, 127f));

    private static float[] Build(Func<int, float> map)
    {
        var table = new float[256];
        for (int v = 0; v < 256; v++) table[v] = map(v);
        return table;
    }
}
