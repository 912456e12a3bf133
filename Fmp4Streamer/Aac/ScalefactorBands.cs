namespace Fmp4Streamer.Aac;

/// <summary>
/// The scalefactor band offsets for 1024-line (long) and 128-line (short) windows at the sampling rates the
/// encoder takes (ISO/IEC 14496-3, 4.5.4, tables 4.129 to 4.131), and the sampling frequency index of each rate.
/// </summary>
internal sealed class ScalefactorBands
{
    public int SamplingFrequencyIndex { get; }
    /// <summary>Offsets of the long-window bands, one more than the band count (the last is 1024).</summary>
    public int[] LongOffsets { get; }
    /// <summary>Offsets of the short-window bands, one more than the band count (the last is 128).</summary>
    public int[] ShortOffsets { get; }
    public int LongBandCount => LongOffsets.Length - 1;
    public int ShortBandCount => ShortOffsets.Length - 1;

    private ScalefactorBands(int index, ReadOnlySpan<byte> longWidths, ReadOnlySpan<byte> shortWidths)
    {
        SamplingFrequencyIndex = index;
        LongOffsets = Offsets(longWidths);
        ShortOffsets = Offsets(shortWidths);
    }

    public static bool IsSupported(int sampleRate) => sampleRate is 48000 or 44100 or 32000 or 16000;

    public static ScalefactorBands For(int sampleRate) => sampleRate switch
    {
        48000 => new ScalefactorBands(3, Widths1024At48000, Widths128At48000),
        44100 => new ScalefactorBands(4, Widths1024At48000, Widths128At48000),
        32000 => new ScalefactorBands(5, Widths1024At32000, Widths128At48000),
        16000 => new ScalefactorBands(8, Widths1024At16000, Widths128At16000),
        _ => throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "AAC encoder rates: 48000, 44100, 32000, 16000"),
    };

    private static int[] Offsets(ReadOnlySpan<byte> widths)
    {
        var offsets = new int[widths.Length + 1];
        for (int i = 0; i < widths.Length; i++) offsets[i + 1] = offsets[i] + widths[i];
        return offsets;
    }

    // 44.1 kHz shares the 48 kHz bands; 32 kHz adds two 32-line bands at the top instead of one 96-line band.
    private static ReadOnlySpan<byte> Widths1024At48000 =>
    [
        4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 20, 20, 24, 24, 28, 28,
        32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 96,
    ];

    private static ReadOnlySpan<byte> Widths1024At32000 =>
    [
        4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 16, 16, 20, 20, 24, 24, 28, 28,
        32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32, 32,
    ];

    private static ReadOnlySpan<byte> Widths1024At16000 =>
    [
        8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 12, 12, 12, 12, 12, 12, 12, 12, 12, 16, 16, 16, 16, 20, 20, 20, 24,
        24, 28, 28, 32, 36, 40, 40, 44, 48, 52, 56, 60, 64, 64, 64,
    ];

    private static ReadOnlySpan<byte> Widths128At48000 => [4, 4, 4, 4, 4, 8, 8, 8, 12, 12, 12, 16, 16, 16];

    private static ReadOnlySpan<byte> Widths128At16000 => [4, 4, 4, 4, 4, 4, 4, 4, 8, 8, 12, 12, 16, 20, 20];
}
