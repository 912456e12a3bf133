using System.Net;
using System.Text;

namespace Fmp4Streamer.Access;

/// <summary>
/// Who the client is behind trusted proxies. Only a peer in trusted_proxies is believed; the proxies' chain of
/// addresses (X-Forwarded-For, or when that is absent the "for=" parameters of Forwarded, RFC 7239) is read from
/// the right, past every trusted proxy, to the first address that is not one. The right end is written by the
/// proxy that talks to us; everything further left came from the client and is only as good as the proxies that
/// appended to it. A hop that cannot be read ("unknown", an obfuscated name, garbage) ends the walk at "unknown".
/// </summary>
public static class ForwardedChain
{
    /// <summary>The client when the chain names none that can be read: matches no network.</summary>
    public static readonly IPAddress Unknown = IPAddress.None;

    /// <summary>The client of a request from <paramref name="peer"/> whose head (request line and headers) is <paramref name="head"/>.</summary>
    public static IPAddress Resolve(IPAddress peer, NetworkList trusted, ReadOnlySpan<byte> head)
    {
        if (!trusted.Contains(peer)) return peer;
        var hops = new List<string>();
        bool any = CollectHeader(head, "x-forwarded-for"u8, hops, forwarded: false);
        if (!any) CollectHeader(head, "forwarded"u8, hops, forwarded: true);
        return Walk(peer, trusted, hops);
    }

    /// <summary>
    /// The client reached the proxy over TLS: X-Forwarded-Proto's first value is "https", or (without that header)
    /// the first Forwarded element's "proto=" is (RFC 7239 5.4). The first: the proxy facing the client writes it.
    /// Only believed from a trusted proxy; a client that forges it only gets a cookie its own plain HTTP never sends.
    /// </summary>
    public static bool IsHttps(ReadOnlySpan<byte> head)
    {
        var values = new List<string>();
        if (CollectHeader(head, "x-forwarded-proto"u8, values, forwarded: false))
            return values[0].Trim('"').Equals("https", StringComparison.OrdinalIgnoreCase);
        var raw = new List<string>();
        if (!CollectRaw(head, "forwarded"u8, raw)) return false;
        foreach (string pair in SplitOutsideQuotes(SplitOutsideQuotes(raw[0], ',')[0], ';'))
        {
            int equals = pair.IndexOf('=');
            if (equals > 0 && pair[..equals].Trim().Equals("proto", StringComparison.OrdinalIgnoreCase))
                return pair[(equals + 1)..].Trim().Trim('"').Equals("https", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    /// <summary>From the right: past trusted proxies to the first address that is not one (all trusted: the left-most).</summary>
    public static IPAddress Walk(IPAddress peer, NetworkList trusted, IReadOnlyList<string> hops)
    {
        IPAddress client = peer;
        for (int i = hops.Count - 1; i >= 0; i--)
        {
            if (!trusted.Contains(client)) return client;
            var hop = ParseHop(hops[i]);
            if (hop is null) return Unknown;
            client = hop;
        }
        return client;
    }

    /// <summary>Every value of one header, in order, split into hops; false if the header is absent.</summary>
    private static bool CollectHeader(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerName, List<string> hops, bool forwarded)
    {
        var values = new List<string>();
        if (!CollectRaw(head, lowerName, values)) return false;
        foreach (string value in values)
        {
            if (forwarded) AddForwardedFor(value, hops);
            else foreach (string item in value.Split(',')) hops.Add(item.Trim());
        }
        return true;
    }

    /// <summary>Every line of one header, its value as written; false if the header is absent.</summary>
    private static bool CollectRaw(ReadOnlySpan<byte> head, ReadOnlySpan<byte> lowerName, List<string> values)
    {
        bool found = false;
        // Skip the request line; the parser has already checked every line's shape.
        int lineEnd = head.IndexOf((byte)'\n');
        while (lineEnd >= 0 && lineEnd + 1 < head.Length)
        {
            head = head[(lineEnd + 1)..];
            lineEnd = head.IndexOf((byte)'\n');
            var line = lineEnd < 0 ? head : head[..lineEnd];
            if (!line.IsEmpty && line[^1] == '\r') line = line[..^1];
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || !Ascii.EqualsIgnoreCase(line[..colon], lowerName)) continue;
            found = true;
            values.Add(Encoding.ASCII.GetString(line[(colon + 1)..]));
        }
        return found;
    }

    /// <summary>The "for=" of each element of a Forwarded value (RFC 7239 4); an element without one is a hop that cannot be read.</summary>
    public static void AddForwardedFor(string value, List<string> hops)
    {
        foreach (string element in SplitOutsideQuotes(value, ','))
        {
            string? forValue = null;
            foreach (string pair in SplitOutsideQuotes(element, ';'))
            {
                int equals = pair.IndexOf('=');
                if (equals > 0 && pair[..equals].Trim().Equals("for", StringComparison.OrdinalIgnoreCase))
                    forValue = pair[(equals + 1)..].Trim();
            }
            hops.Add(forValue ?? "");
        }
    }

    private static List<string> SplitOutsideQuotes(string text, char separator)
    {
        var parts = new List<string>();
        bool quoted = false;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '"') quoted = !quoted;
            else if (text[i] == '\\' && quoted) i++;
            else if (text[i] == separator && !quoted)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        parts.Add(text[start..].Trim());
        return parts;
    }

    /// <summary>"192.0.2.1", "192.0.2.1:4711", "2001:db8::1", "[2001:db8::1]:4711", quoted or not; null otherwise.</summary>
    public static IPAddress? ParseHop(string hop)
    {
        var text = hop.AsSpan().Trim();
        if (text.Length >= 2 && text[0] == '"' && text[^1] == '"') text = text[1..^1];
        if (text.Length > 0 && text[0] == '[')
        {
            int close = text.IndexOf(']');
            if (close < 0) return null;
            text = text[1..close];
        }
        else if (text.IndexOf(':') >= 0 && text.IndexOf(':') == text.LastIndexOf(':'))
        {
            // One colon: an IPv4 address with a port.
            text = text[..text.IndexOf(':')];
        }
        if (text.IndexOf('%') >= 0) return null;
        return IPAddress.TryParse(text, out var address) ? NetworkList.Canonical(address) : null;
    }
}
