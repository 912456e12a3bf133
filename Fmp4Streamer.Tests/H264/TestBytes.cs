namespace Fmp4Streamer.Tests.H264;

/// <summary>Hex text to bytes and back, for readable byte tables.</summary>
internal static class TestBytes
{
    public static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", ""));

    public static string ToHex(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexString(bytes).ToLowerInvariant();
        var spaced = new System.Text.StringBuilder(hex.Length * 3 / 2);
        for (int i = 0; i < hex.Length; i += 2)
        {
            if (i > 0) spaced.Append(' ');
            spaced.Append(hex, i, 2);
        }
        return spaced.ToString();
    }

    /// <summary>Each NAL of an Annex B buffer as lowercase spaced hex.</summary>
    public static List<string> NalsAsHex(ReadOnlySpan<byte> annexB)
    {
        var nals = new List<string>();
        foreach (var nal in Fmp4Streamer.H264.AnnexB.EnumerateNals(annexB)) nals.Add(ToHex(nal));
        return nals;
    }
}
