namespace Fmp4Streamer.Http;

/// <summary>
/// A path pattern of a route: literal bytes and up to two numeric placeholders, "{n}" (0 or more), "{g}" (1 or
/// more) and "{p}" (0 to <see cref="MaxPart"/>). Numbers are plain decimal: no sign, no leading zero, at most 18
/// digits, so every URL has one spelling.
/// </summary>
public sealed class RoutePattern
{
    /// <summary>The largest LL-HLS part index a URL may name.</summary>
    public const int MaxPart = 100_000;

    private readonly byte[][] _literals;
    private readonly char[] _placeholders;

    public RoutePattern(string pattern)
    {
        Text = pattern;
        var literals = new List<byte[]>();
        var placeholders = new List<char>();
        int start = 0;
        while (true)
        {
            int open = pattern.IndexOf('{', start);
            if (open < 0)
            {
                literals.Add(System.Text.Encoding.ASCII.GetBytes(pattern[start..]));
                break;
            }
            if (open + 2 >= pattern.Length || pattern[open + 2] != '}' || "ngp".IndexOf(pattern[open + 1]) < 0)
                throw new ArgumentException("bad placeholder in route pattern " + pattern, nameof(pattern));
            literals.Add(System.Text.Encoding.ASCII.GetBytes(pattern[start..open]));
            placeholders.Add(pattern[open + 1]);
            start = open + 3;
        }
        if (placeholders.Count > 2) throw new ArgumentException("at most two numbers in a route pattern", nameof(pattern));
        _literals = literals.ToArray();
        _placeholders = placeholders.ToArray();
    }

    public string Text { get; }

    /// <summary>Whether <paramref name="path"/> matches; the numbers in order (0 when absent).</summary>
    public bool TryMatch(ReadOnlySpan<byte> path, out long first, out long second)
    {
        first = second = 0;
        if (!path.StartsWith(_literals[0])) return false;
        path = path[_literals[0].Length..];
        for (int i = 0; i < _placeholders.Length; i++)
        {
            int digits = 0;
            while (digits < path.Length && path[digits] >= '0' && path[digits] <= '9') digits++;
            if (digits == 0 || digits > 18 || (path[0] == '0' && digits > 1)) return false;
            long number = 0;
            for (int d = 0; d < digits; d++) number = number * 10 + (path[d] - '0');
            if (_placeholders[i] == 'g' && number == 0) return false;
            if (_placeholders[i] == 'p' && number > MaxPart) return false;
            if (i == 0) first = number;
            else second = number;
            path = path[digits..];
            if (!path.StartsWith(_literals[i + 1])) return false;
            path = path[_literals[i + 1].Length..];
        }
        return path.IsEmpty;
    }
}
