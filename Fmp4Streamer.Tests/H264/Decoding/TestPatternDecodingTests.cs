using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>The project's own test pattern (Intra16x16, I_PCM, P_Skip) decodes to exactly ffmpeg's frames.</summary>
public class TestPatternDecodingTests
{
    [TestCase(640, 480)]
    [TestCase(330, 250)]
    public void DecodesLikeFfmpeg(int width, int height)
    {
        var encoder = new TestPatternEncoder(width, height, 30);
        byte[] output = new byte[encoder.MaxFrameSize];
        using var stream = new MemoryStream();
        for (int i = 0; i < 45; i++)
        {
            int length = encoder.EncodeFrame(i, 1_764_000_000_000 + i * 33, i % 30 == 0, output);
            stream.Write(output, 0, length);
        }
        string path = FfmpegFixtures.WriteTemp("pattern.h264", stream.ToArray());
        try
        {
            DecoderCorpus.AssertBitExact(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
