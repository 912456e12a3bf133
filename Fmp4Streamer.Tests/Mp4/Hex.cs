using System.Globalization;

namespace Fmp4Streamer.Tests.Mp4;

/// <summary>Parses expected bytes written as hex with whitespace, "//" comments and optional "0000:" offsets.</summary>
internal static class Hex
{
    public static byte[] Parse(string text)
    {
        var bytes = new List<byte>();
        foreach (string rawLine in text.Split('\n'))
        {
            string line = rawLine;
            int comment = line.IndexOf("//", StringComparison.Ordinal);
            if (comment >= 0) line = line[..comment];
            int colon = line.IndexOf(':');
            if (colon >= 0) line = line[(colon + 1)..];
            foreach (string token in line.Split(' ', '\t', '\r'))
            {
                if (token.Length == 0) continue;
                if (token.Length != 2) throw new FormatException($"hex token '{token}' is not one byte");
                bytes.Add(byte.Parse(token, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        return bytes.ToArray();
    }

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
