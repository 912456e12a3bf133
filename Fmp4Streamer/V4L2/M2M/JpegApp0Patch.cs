namespace Fmp4Streamer.V4L2.M2M;

/// <summary>
/// The Pi's JPEG decoder (bcm2835-codec) fails on JFIF APP0 segments, so the reference rewrites them to APP4
/// (compatibility §6): the first FF E0 within bytes 0..3 and the first within bytes 4..499 become FF E4.
/// </summary>
public static class JpegApp0Patch
{
    private const int FirstWindowEnd = 4;
    private const int SecondWindowEnd = 500;

    /// <summary>Returns how many markers were rewritten (0..2).</summary>
    public static int Apply(Span<byte> jpeg)
    {
        int patched = PatchFirst(jpeg, 0, Math.Min(FirstWindowEnd, jpeg.Length));
        patched += PatchFirst(jpeg, FirstWindowEnd, Math.Min(SecondWindowEnd, jpeg.Length));
        return patched;
    }

    private static int PatchFirst(Span<byte> jpeg, int start, int end)
    {
        if (end - start < 2) return 0;
        int at = jpeg[start..end].IndexOf(stackalloc byte[] { 0xFF, 0xE0 });
        if (at < 0) return 0;
        jpeg[start + at + 1] = 0xE4;
        return 1;
    }
}
