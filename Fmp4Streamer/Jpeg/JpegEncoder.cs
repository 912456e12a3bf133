namespace Fmp4Streamer.Jpeg;

/// <summary>
/// A baseline JPEG encoder (T.81, Huffman, 8-bit, YCbCr 4:2:0 or 4:2:2) for snapshots and MJPEG: reads the picture in
/// place through a <see cref="PictureView"/>, writes into the caller's buffer and allocates nothing per picture.
/// Loading, the DCT and quantisation run on vectors where the CPU has them (a scalar path gives the same
/// coefficients elsewhere). One instance per quality; not thread-safe (it keeps its block buffers).
/// </summary>
public sealed class JpegEncoder
{
    private readonly QuantizationTable _luma;
    private readonly QuantizationTable _chroma;
    private readonly bool _vectorised;
    private readonly float[] _samples = new float[64];
    private readonly short[] _coefficients = new short[64];

    public JpegEncoder(int quality) : this(quality, vectorised: true)
    {
    }

    /// <param name="vectorised">False forces the scalar path (tests and the benchmark compare the two).</param>
    public JpegEncoder(int quality, bool vectorised)
    {
        Quality = quality;
        _luma = new QuantizationTable(JpegTables.LuminanceQuantization, quality);
        _chroma = new QuantizationTable(JpegTables.ChrominanceQuantization, quality);
        _vectorised = vectorised && ForwardDct.IsVectorised;
    }

    public int Quality { get; }

    /// <summary>Whether this encoder runs the vector path (false when asked not to, or on a CPU without vectors).</summary>
    public bool IsVectorised => _vectorised;

    /// <summary>A destination size that holds any picture of this size at any quality short of extreme noise.</summary>
    public static int SuggestedBufferSize(int width, int height) => JpegHeaderWriter.HeadersSize + 2 + width * height * 2 + 4096;

    /// <summary>Encodes <paramref name="picture"/> into <paramref name="dest"/>; the JPEG's length, or -1 when it did not fit.</summary>
    public int Encode(in PictureView picture, Span<byte> dest)
    {
        if (dest.Length < JpegHeaderWriter.HeadersSize + 2) return -1;
        int at = JpegHeaderWriter.WriteHeaders(dest, picture.Width, picture.Height, picture.Subsampling, _luma, _chroma);
        var bits = new JpegBitWriter(dest, at);
        int previousY = 0, previousCb = 0, previousCr = 0;
        bool tall = picture.Subsampling == ChromaSubsampling.Yuv420;
        int mcuHeight = tall ? 16 : 8;
        var lumaRange = picture.FullRange ? SampleRange.FullRange : SampleRange.LimitedLuma;
        var chromaRange = picture.FullRange ? SampleRange.FullRange : SampleRange.LimitedChroma;
        for (int y = 0; y < picture.Height; y += mcuHeight)
        {
            int cy = tall ? y / 2 : y;
            for (int x = 0; x < picture.Width; x += 16)
            {
                EncodeLuma(picture, x, y, lumaRange, ref previousY, ref bits);
                EncodeLuma(picture, x + 8, y, lumaRange, ref previousY, ref bits);
                if (tall)
                {
                    EncodeLuma(picture, x, y + 8, lumaRange, ref previousY, ref bits);
                    EncodeLuma(picture, x + 8, y + 8, lumaRange, ref previousY, ref bits);
                }
                EncodeChroma(picture, picture.Cb, x / 2, cy, chromaRange, ref previousCb, ref bits);
                EncodeChroma(picture, picture.Cr, x / 2, cy, chromaRange, ref previousCr, ref bits);
            }
            if (bits.Overflowed) return -1;
        }
        bits.Flush();
        // The end marker is written raw: it must not be stuffed like entropy-coded data.
        bits.WriteByte(JpegMarkers.Prefix);
        bits.WriteByte(JpegMarkers.EndOfImage);
        return bits.Overflowed ? -1 : bits.Position;
    }

    private void EncodeLuma(in PictureView picture, int x, int y, SampleRange range, ref int previousDc, ref JpegBitWriter bits)
    {
        BlockLoader.Load(picture.Luma, picture.LumaStride, picture.LumaStep, picture.Width, picture.Height, x, y, range, _samples, _vectorised);
        EncodeBlock(_luma, HuffmanCode.LuminanceDc, HuffmanCode.LuminanceAc, ref previousDc, ref bits);
    }

    private void EncodeChroma(in PictureView picture, ReadOnlySpan<byte> plane, int x, int y, SampleRange range, ref int previousDc,
        ref JpegBitWriter bits)
    {
        BlockLoader.Load(plane, picture.ChromaStride, picture.ChromaStep, picture.ChromaWidth, picture.ChromaHeight, x, y, range, _samples,
            _vectorised);
        EncodeBlock(_chroma, HuffmanCode.ChrominanceDc, HuffmanCode.ChrominanceAc, ref previousDc, ref bits);
    }

    private void EncodeBlock(QuantizationTable table, HuffmanCode dc, HuffmanCode ac, ref int previousDc, ref JpegBitWriter bits)
    {
        ForwardDct.Transform(_samples, _vectorised);
        Quantizer.Quantize(_samples, table.ScaledReciprocals, _coefficients, _vectorised);
        HuffmanBlockEncoder.Encode(_coefficients, dc, ac, ref previousDc, ref bits);
    }
}
