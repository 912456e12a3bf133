using Fmp4Streamer.H264.TestPattern;

namespace Fmp4Streamer.Tests.H264.TestPattern;

public class LumaDcResidualTests
{
    [Test]
    public void EveryOffsetHasAnExactLevel()
    {
        for (int offset = -255; offset <= 255; offset++)
        {
            int level = LumaDcResidual.LevelFor(offset);
            Assert.That(LumaDcResidual.Reconstruct(level), Is.EqualTo(offset), $"offset {offset}");
        }
    }

    [TestCase(0, 0)]
    [TestCase(1, 1)]
    [TestCase(-1, -1)]
    [TestCase(2, 2)]
    [TestCase(3, 4)]
    [TestCase(219, 269)]
    [TestCase(-219, -269)]
    public void LevelsFollowTheQp26Step(int offset, int level)
    {
        // 8.5.10 at QP 26: dcY = 52 * L, offset = (dcY + 32) >> 6.
        Assert.That(LumaDcResidual.LevelFor(offset), Is.EqualTo(level));
    }
}
