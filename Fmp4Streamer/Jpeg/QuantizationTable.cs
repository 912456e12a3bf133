namespace Fmp4Streamer.Jpeg;

/// <summary>
/// One quantisation table at a quality from 1 to 100, scaled from an Annex K table the way the IJG library does
/// (so a quality means what users know from other tools), with the reciprocals the quantiser multiplies by.
/// </summary>
public sealed class QuantizationTable
{
    private readonly byte[] _zigZag = new byte[64];
    private readonly byte[] _natural = new byte[64];
    private readonly float[] _scaledReciprocal = new float[64];

    public QuantizationTable(ReadOnlySpan<byte> baseTable, int quality)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "quality must be 1..100");
        int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        for (int i = 0; i < 64; i++)
        {
            // Baseline JPEG stores 8-bit entries: 1..255.
            _natural[i] = (byte)Math.Clamp((baseTable[i] * scale + 50) / 100, 1, 255);
        }
        var zigZag = JpegTables.ZigZag;
        for (int n = 0; n < 64; n++) _zigZag[n] = _natural[zigZag[n]];
        for (int u = 0; u < 8; u++)
            for (int v = 0; v < 8; v++)
                _scaledReciprocal[u * 8 + v] = (float)(1.0 / (_natural[v * 8 + u] * 8 * ForwardDct.Scale(u) * ForwardDct.Scale(v)));
    }

    /// <summary>The table in zig-zag order, as the DQT segment carries it.</summary>
    public ReadOnlySpan<byte> ZigZagOrder => _zigZag;

    /// <summary>The step of each coefficient in natural (row-major) order.</summary>
    public ReadOnlySpan<byte> NaturalOrder => _natural;

    /// <summary>
    /// What <see cref="ForwardDct"/>'s outputs are multiplied by to give quantised coefficients: 1 / (step · the AAN
    /// scale of the position), in the transform's column-major order [u * 8 + v].
    /// </summary>
    public ReadOnlySpan<float> ScaledReciprocals => _scaledReciprocal;
}
