namespace Fmp4Streamer.Jpeg;

/// <summary>Second bytes of the JPEG markers this program writes or looks for (T.81 Table B.1).</summary>
public static class JpegMarkers
{
    public const byte Prefix = 0xFF;
    public const byte StartOfImage = 0xD8;
    public const byte EndOfImage = 0xD9;
    public const byte StartOfScan = 0xDA;
    public const byte DefineQuantization = 0xDB;
    public const byte DefineHuffman = 0xC4;
    public const byte BaselineFrame = 0xC0;
    public const byte App0 = 0xE0;
}
