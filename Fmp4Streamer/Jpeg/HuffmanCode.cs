namespace Fmp4Streamer.Jpeg;

/// <summary>
/// An encoder's view of one Huffman table: the code and its length for each symbol, derived from the
/// counts-per-length and symbol list a DHT segment carries (T.81 Annex C).
/// </summary>
public sealed class HuffmanCode
{
    private readonly ushort[] _codes = new ushort[256];
    private readonly byte[] _lengths = new byte[256];

    public HuffmanCode(ReadOnlySpan<byte> countsPerLength, ReadOnlySpan<byte> symbols)
    {
        if (countsPerLength.Length != 16) throw new ArgumentException("16 code counts expected", nameof(countsPerLength));
        int code = 0, index = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < countsPerLength[length - 1]; i++)
            {
                byte symbol = symbols[index++];
                _codes[symbol] = (ushort)code;
                _lengths[symbol] = (byte)length;
                code++;
            }
            code <<= 1;
        }
        if (index != symbols.Length) throw new ArgumentException("the counts do not add up to the symbols", nameof(symbols));
        CountsPerLength = countsPerLength.ToArray();
        Symbols = symbols.ToArray();
    }

    /// <summary>What the DHT segment holds, for the header.</summary>
    public byte[] CountsPerLength { get; }
    public byte[] Symbols { get; }

    public ushort Code(int symbol) => _codes[symbol];

    /// <summary>0 when the table has no code for the symbol.</summary>
    public int Length(int symbol) => _lengths[symbol];

    public static readonly HuffmanCode LuminanceDc = new(JpegTables.LuminanceDcCounts, JpegTables.LuminanceDcSymbols);
    public static readonly HuffmanCode LuminanceAc = new(JpegTables.LuminanceAcCounts, JpegTables.LuminanceAcSymbols);
    public static readonly HuffmanCode ChrominanceDc = new(JpegTables.ChrominanceDcCounts, JpegTables.ChrominanceDcSymbols);
    public static readonly HuffmanCode ChrominanceAc = new(JpegTables.ChrominanceAcCounts, JpegTables.ChrominanceAcSymbols);
}
