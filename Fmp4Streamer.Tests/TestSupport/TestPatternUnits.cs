using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>Access units from the test pattern encoder (real H264: SPS, PPS, IDR and P frames) at 30 fps.</summary>
public sealed class TestPatternUnits
{
    private readonly TestPatternEncoder _encoder;
    private readonly byte[] _buffer;
    private long _n;

    public TestPatternUnits(int width = 320, int height = 240)
    {
        _encoder = new TestPatternEncoder(width, height, 30);
        _buffer = new byte[_encoder.MaxFrameSize];
    }

    /// <summary>Encodes the next frame and hands it to <paramref name="sink"/>, captured 1/30 s after the last.</summary>
    public void Push(IAccessUnitSink sink, bool key)
    {
        int length = _encoder.EncodeFrame(_n, 1_700_000_000_000 + _n * 33, key, _buffer);
        sink.OnAccessUnit(_buffer.AsSpan(0, length), 1_000_000 + _n * 33_333);
        _n++;
    }
}
