using Fmp4Streamer.V4L2.M2M;

namespace Fmp4Streamer.Tests.V4L2.M2M;

/// <summary>The reference's APP0→APP4 rewrite (compatibility §6): first FF E0 in bytes 0..3 and first in 4..499.</summary>
public class JpegApp0PatchTests
{
    private static byte[] Filled(int length, params (int At, byte Value)[] bytes)
    {
        var b = new byte[length];
        foreach (var (at, value) in bytes) b[at] = value;
        return b;
    }

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(Filled(600, (0, 0xFF), (1, 0xD8), (2, 0xFF), (3, 0xE0), (20, 0xFF), (21, 0xE0), (30, 0xFF), (31, 0xE0)), 2, new[] { 3, 21 })
            .SetName("{m}(JFIF head and the first later APP0 only)");
        yield return new TestCaseData(Filled(600, (2, 0xFF), (3, 0xE0)), 1, new[] { 3 }).SetName("{m}(head only)");
        yield return new TestCaseData(Filled(600, (3, 0xFF), (4, 0xE0)), 0, Array.Empty<int>()).SetName("{m}(a marker straddling byte 4 is in neither window)");
        yield return new TestCaseData(Filled(600, (498, 0xFF), (499, 0xE0)), 1, new[] { 499 }).SetName("{m}(last bytes of the second window)");
        yield return new TestCaseData(Filled(600, (499, 0xFF), (500, 0xE0)), 0, Array.Empty<int>()).SetName("{m}(past the second window)");
        yield return new TestCaseData(Filled(3, (0, 0xFF), (1, 0xE0)), 1, new[] { 1 }).SetName("{m}(shorter than the first window)");
        yield return new TestCaseData(Array.Empty<byte>(), 0, Array.Empty<int>()).SetName("{m}(empty)");
    }

    [TestCaseSource(nameof(Cases))]
    public void RewritesTheFirstApp0OfEachWindow(byte[] jpeg, int expectedCount, int[] patchedAt)
    {
        var before = (byte[])jpeg.Clone();
        Assert.That(JpegApp0Patch.Apply(jpeg), Is.EqualTo(expectedCount));
        for (int i = 0; i < jpeg.Length; i++)
            Assert.That(jpeg[i], Is.EqualTo(Array.IndexOf(patchedAt, i) >= 0 ? (byte)0xE4 : before[i]), $"byte {i}");
    }
}
