namespace Fmp4Streamer.Jpeg;

/// <summary>
/// One quantisation table at a quality from 1 to 100, scaled from an Annex K table the way the IJG library does
/// (so a quality means what users know from other tools), with the reciprocals the quantiser multiplies by.
/// </summary>
public sealed class QuantizationTable
{
    private readonly byte[] _zigZag = new byte[64];
    private readonly float[] _reciprocal = new float[64];

    public QuantizationTable(ReadOnlySpan<byte> baseTable, int quality)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), quality, "quality must be 1..100");
        int scale = quality < 50 ? 5000 / quality : 200 - quality * 2;
        for (int i = 0; i < 64; i++)
        {
            // Baseline JPEG stores 8-bit entries: 1..255.
            int q = Math.Clamp((baseTable[i] * scale + 50) / 100, 1, 255);
            _reciprocal[i] = 1f / q;
        }
        var zigZag = JpegTables.ZigZag;
        for (int n = 0; n < 64; n++) _zigZag[n] = (byte)Math.Round(1f / _reciprocal[zigZag[n]]);
    }

    /// <summary>The table in zig-zag order, as the DQT segment carries it.</summary>
    public ReadOnlySpan<byte> ZigZagOrder => _zigZag;

    /// <summary>1 / step for each coefficient in natural order.</summary>
    public ReadOnlySpan<float> Reciprocals => _reciprocal;
}
