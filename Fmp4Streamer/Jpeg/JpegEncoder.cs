using System.Numerics;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// A baseline JPEG encoder (T.81, Huffman, 8-bit, YCbCr 4:2:0 or 4:2:2) for snapshots and MJPEG: reads the picture in
/// place through a <see cref="PictureView"/>, writes into the caller's buffer and allocates nothing per picture.
/// One instance per quality; not thread-safe (it keeps its block buffers).
/// </summary>
public sealed class JpegEncoder
{
    private readonly QuantizationTable _luma;
    private readonly QuantizationTable _chroma;
    private readonly float[] _samples = new float[64];
    private readonly int[] _coefficients = new int[64];

    public JpegEncoder(int quality)
    {
        Quality = quality;
        _luma = new QuantizationTable(JpegTables.LuminanceQuantization, quality);
        _chroma = new QuantizationTable(JpegTables.ChrominanceQuantization, quality);
    }

    public int Quality { get; }

    /// <summary>A destination size that holds any picture of this size at any quality short of extreme noise.</summary>
    public static int SuggestedBufferSize(int width, int height) => JpegHeaderWriter.HeadersSize + 2 + width * height * 2 + 4096;

    /// <summary>Encodes <paramref name="picture"/> into <paramref name="dest"/>; the JPEG's length, or -1 when it did not fit.</summary>
    public int Encode(in PictureView picture, Span<byte> dest)
    {
        if (dest.Length < JpegHeaderWriter.HeadersSize + 2) return -1;
        int at = JpegHeaderWriter.WriteHeaders(dest, picture.Width, picture.Height, picture.Subsampling, _luma, _chroma);
        var bits = new JpegBitWriter(dest, at);
        int previousY = 0, previousCb = 0, previousCr = 0;
        int mcuHeight = picture.Subsampling == ChromaSubsampling.Yuv420 ? 16 : 8;
        for (int y = 0; y < picture.Height; y += mcuHeight)
        {
            for (int x = 0; x < picture.Width; x += 16)
            {
                EncodeLumaBlock(picture, x, y, ref previousY, ref bits);
                EncodeLumaBlock(picture, x + 8, y, ref previousY, ref bits);
                if (mcuHeight == 16)
                {
                    EncodeLumaBlock(picture, x, y + 8, ref previousY, ref bits);
                    EncodeLumaBlock(picture, x + 8, y + 8, ref previousY, ref bits);
                }
                int cy = mcuHeight == 16 ? y / 2 : y;
                var chromaRange = picture.FullRange ? SampleRange.FullRange : SampleRange.LimitedChroma;
                LoadBlock(picture.Cb, picture.ChromaStride, picture.ChromaStep, picture.ChromaWidth, picture.ChromaHeight, x / 2, cy, chromaRange);
                EncodeBlock(_chroma, HuffmanCode.ChrominanceDc, HuffmanCode.ChrominanceAc, ref previousCb, ref bits);
                LoadBlock(picture.Cr, picture.ChromaStride, picture.ChromaStep, picture.ChromaWidth, picture.ChromaHeight, x / 2, cy, chromaRange);
                EncodeBlock(_chroma, HuffmanCode.ChrominanceDc, HuffmanCode.ChrominanceAc, ref previousCr, ref bits);
            }
            if (bits.Overflowed) return -1;
        }
        bits.Flush();
        // The end marker is written raw: it must not be stuffed like entropy-coded data.
        bits.WriteByte(JpegMarkers.Prefix);
        bits.WriteByte(JpegMarkers.EndOfImage);
        return bits.Overflowed ? -1 : bits.Position;
    }

    private void EncodeLumaBlock(in PictureView picture, int x, int y, ref int previousDc, ref JpegBitWriter bits)
    {
        LoadBlock(picture.Luma, picture.LumaStride, picture.LumaStep, picture.Width, picture.Height, x, y,
            picture.FullRange ? SampleRange.FullRange : SampleRange.LimitedLuma);
        EncodeBlock(_luma, HuffmanCode.LuminanceDc, HuffmanCode.LuminanceAc, ref previousDc, ref bits);
    }

    /// <summary>
    /// 8x8 samples from (x, y), mapped through <paramref name="range"/> to level-shifted -128..127; past the right or
    /// bottom edge the last column or row is repeated (T.81 A.2.4 leaves the padding to the encoder; repeating avoids ringing at the edge).
    /// </summary>
    private void LoadBlock(ReadOnlySpan<byte> plane, int stride, int step, int width, int height, int x, int y, float[] range)
    {
        var samples = _samples;
        bool inside = x + 8 <= width && y + 8 <= height;
        for (int row = 0; row < 8; row++)
        {
            int sy = inside ? y + row : Math.Min(y + row, height - 1);
            int rowStart = sy * stride;
            if (inside && step == 1)
            {
                var line = plane.Slice(rowStart + x, 8);
                for (int col = 0; col < 8; col++) samples[row * 8 + col] = range[line[col]];
                continue;
            }
            for (int col = 0; col < 8; col++)
            {
                int sx = Math.Min(x + col, width - 1);
                samples[row * 8 + col] = range[plane[rowStart + sx * step]];
            }
        }
    }

    private void EncodeBlock(QuantizationTable table, HuffmanCode dc, HuffmanCode ac, ref int previousDc, ref JpegBitWriter bits)
    {
        ForwardDct.Transform(_samples);
        var reciprocals = table.Reciprocals;
        var zigZag = JpegTables.ZigZag;
        var coefficients = _coefficients;
        for (int n = 0; n < 64; n++)
        {
            int natural = zigZag[n];
            coefficients[n] = (int)MathF.Round(_samples[natural] * reciprocals[natural], MidpointRounding.AwayFromZero);
        }
        // Baseline AC magnitudes have at most 10 bits; only a pathological block at quality 100 could reach more.
        for (int n = 1; n < 64; n++) coefficients[n] = Math.Clamp(coefficients[n], -1023, 1023);

        int difference = coefficients[0] - previousDc;
        previousDc = coefficients[0];
        int category = Category(difference);
        bits.Write(dc.Code(category), dc.Length(category));
        if (category > 0) bits.Write(MagnitudeBits(difference, category), category);

        int zeros = 0;
        for (int n = 1; n < 64; n++)
        {
            int value = coefficients[n];
            if (value == 0)
            {
                zeros++;
                continue;
            }
            while (zeros >= 16)
            {
                bits.Write(ac.Code(0xF0), ac.Length(0xF0)); // sixteen zeros (ZRL)
                zeros -= 16;
            }
            int size = Category(value);
            int symbol = (zeros << 4) | size;
            bits.Write(ac.Code(symbol), ac.Length(symbol));
            bits.Write(MagnitudeBits(value, size), size);
            zeros = 0;
        }
        if (zeros > 0) bits.Write(ac.Code(0x00), ac.Length(0x00)); // end of block
    }

    /// <summary>The number of bits of |value| (T.81 Table F.1/F.2's SSSS); 0 for 0. Baseline limits it to 11.</summary>
    private static int Category(int value)
    {
        uint magnitude = (uint)Math.Abs(value);
        return Math.Min(32 - BitOperations.LeadingZeroCount(magnitude), 11);
    }

    /// <summary>A positive value as is; a negative one as value − 1 in its low bits (T.81 F.1.2.1).</summary>
    private static uint MagnitudeBits(int value, int size) => (uint)(value < 0 ? value - 1 : value) & ((1u << size) - 1);
}
