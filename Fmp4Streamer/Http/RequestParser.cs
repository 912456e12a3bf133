namespace Fmp4Streamer.Http;

/// <summary>
/// Parses one HTTP/1.x request head (RFC 9112) from the start of a buffer, over spans, without allocating.
/// Lines end in CRLF or a bare LF (RFC 9112 2.2 allows accepting LF); empty lines before the request line are
/// skipped (2.2). Header values are only checked, except the few this server acts on.
/// </summary>
public static class RequestParser
{
    /// <summary>CR and LF bytes accepted before the request line: eight empty lines.</summary>
    public const int MaxLeadingBlankBytes = 16;

    public static ParseStatus TryParse(ReadOnlySpan<byte> data, int maxHeaderBytes, out HttpRequest request, out RejectReason reason)
    {
        request = default;
        request.QueryStart = -1;
        reason = RejectReason.None;

        int start = 0;
        while (start < data.Length && (data[start] == '\r' || data[start] == '\n')) start++;
        // RFC 9112 2.2: ignore at least one empty line before the request line; an endless run of them is an attack.
        if (start > MaxLeadingBlankBytes) return Reject(RejectReason.MalformedRequestLine, out reason);

        // Request line.
        int lineEnd = IndexOfLineEnd(data, start, out int next);
        if (lineEnd < 0)
        {
            // Refuse garbage before its line is complete, so a client that never sends LF is answered at once.
            if (!MethodPrefixIsPlausible(data[start..])) return Reject(RejectReason.MalformedRequestLine, out reason);
            if (data.Length - start >= maxHeaderBytes) return Reject(RejectReason.UriTooLong, out reason);
            return ParseStatus.Incomplete;
        }
        if (lineEnd - start > maxHeaderBytes) return Reject(RejectReason.UriTooLong, out reason);
        var rejected = ParseRequestLine(data, start, lineEnd, ref request);
        if (rejected != RejectReason.None) return Reject(rejected, out reason);

        // Header lines up to the empty line.
        bool close = false, chunked = false, hasBody = false;
        int hosts = 0;
        int pos = next;
        while (true)
        {
            lineEnd = IndexOfLineEnd(data, pos, out next);
            if (lineEnd < 0)
            {
                if (data.Length - start >= maxHeaderBytes) return Reject(RejectReason.HeadersTooLarge, out reason);
                // A complete line seen so far must already be well formed: fail early on folding and the like.
                return ParseStatus.Incomplete;
            }
            if (next - start > maxHeaderBytes) return Reject(RejectReason.HeadersTooLarge, out reason);
            if (lineEnd == pos) break;
            var line = data[pos..lineEnd];
            // obs-fold (RFC 9112 5.2): a server must reject it or replace it; we reject.
            if (line[0] == ' ' || line[0] == '\t') return Reject(RejectReason.MalformedHeader, out reason);
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon])) return Reject(RejectReason.MalformedHeader, out reason);
            var value = TrimOws(line[(colon + 1)..]);
            if (!IsFieldValue(value)) return Reject(RejectReason.MalformedHeader, out reason);
            var name = line[..colon];
            if (EqualsIgnoreCase(name, "host"u8))
            {
                hosts++;
                request.Host = Field(data, value);
            }
            else if (EqualsIgnoreCase(name, "connection"u8)) close |= ContainsToken(value, "close"u8);
            else if (EqualsIgnoreCase(name, "transfer-encoding"u8)) chunked = true;
            else if (EqualsIgnoreCase(name, "content-length"u8)) hasBody |= !IsZero(value);
            else if (EqualsIgnoreCase(name, "range"u8)) request.Range = Field(data, value);
            else if (EqualsIgnoreCase(name, "if-none-match"u8)) request.IfNoneMatch = Field(data, value);
            else if (EqualsIgnoreCase(name, "if-modified-since"u8)) request.IfModifiedSince = Field(data, value);
            else if (EqualsIgnoreCase(name, "access-control-request-headers"u8)) request.RequestedHeaders = Field(data, value);
            else if (EqualsIgnoreCase(name, "authorization"u8)) request.Authorization = Field(data, value);
            else if (EqualsIgnoreCase(name, "cookie"u8)) request.Cookie = Field(data, value);
            else if (EqualsIgnoreCase(name, "origin"u8)) request.Origin = Field(data, value);
            else if (EqualsIgnoreCase(name, "x-forwarded-for"u8) || EqualsIgnoreCase(name, "forwarded"u8)) request.Forwarded = true;
            request.HeaderCount++;
            pos = next;
        }

        if (request.MinorVersion == 1 && hosts != 1) return Reject(RejectReason.MissingHost, out reason);
        if (chunked || hasBody) return Reject(RejectReason.UnexpectedBody, out reason);
        request.KeepAlive = request.MinorVersion == 1 && !close;
        request.HeadLength = next;
        return ParseStatus.Complete;
    }

    /// <summary>Where <paramref name="value"/> (a slice of <paramref name="data"/>) starts and how long it is.</summary>
    private static HttpRequest.HeaderValue Field(ReadOnlySpan<byte> data, ReadOnlySpan<byte> value)
    {
        // Both are slices of one buffer: the offset is the distance between their starts.
        int offset = value.IsEmpty ? 0 : (int)System.Runtime.CompilerServices.Unsafe.ByteOffset(
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(data),
            ref System.Runtime.InteropServices.MemoryMarshal.GetReference(value));
        return new HttpRequest.HeaderValue(offset, value.Length);
    }

    private static ParseStatus Reject(RejectReason why, out RejectReason reason)
    {
        reason = why;
        return ParseStatus.Rejected;
    }

    private static RejectReason ParseRequestLine(ReadOnlySpan<byte> data, int start, int end, ref HttpRequest request)
    {
        var line = data[start..end];
        int sp1 = line.IndexOf((byte)' ');
        if (sp1 <= 0) return RejectReason.MalformedRequestLine;
        int sp2 = line[(sp1 + 1)..].IndexOf((byte)' ');
        if (sp2 <= 0) return RejectReason.MalformedRequestLine;
        sp2 += sp1 + 1;
        var method = line[..sp1];
        var target = line[(sp1 + 1)..sp2];
        var version = line[(sp2 + 1)..];
        if (!IsToken(method)) return RejectReason.MalformedRequestLine;
        for (int i = 0; i < target.Length; i++)
            if (target[i] <= ' ' || target[i] >= 0x7f) return RejectReason.MalformedRequestLine;

        // HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 2.3).
        if (version.Length != 8 || !version.StartsWith("HTTP/"u8) || !IsDigit(version[5]) || version[6] != '.' || !IsDigit(version[7]))
            return RejectReason.MalformedRequestLine;
        if (version[5] != '1' || version[7] > '1') return RejectReason.VersionNotSupported;
        request.MinorVersion = version[7] - '0';

        request.TargetStart = start + sp1 + 1;
        request.TargetLength = target.Length;
        int pathOffset = 0;
        if (target.Length == 1 && target[0] == '*')
        {
            pathOffset = 1; // asterisk-form (RFC 9112 3.2.4): only OPTIONS uses it; the path stays empty.
        }
        else if (target[0] != '/')
        {
            // absolute-form (RFC 9112 3.2.2): skip scheme and authority.
            int schemeEnd = target.IndexOf("://"u8);
            if (schemeEnd <= 0 || !IsToken(target[..schemeEnd])) return RejectReason.MalformedRequestLine;
            int slash = target[(schemeEnd + 3)..].IndexOf((byte)'/');
            pathOffset = slash < 0 ? target.Length : schemeEnd + 3 + slash;
        }
        var rest = target[pathOffset..];
        int q = rest.IndexOf((byte)'?');
        request.PathStart = request.TargetStart + pathOffset;
        request.PathLength = q < 0 ? rest.Length : q;
        if (q >= 0)
        {
            request.QueryStart = request.PathStart + q + 1;
            request.QueryLength = rest.Length - q - 1;
        }

        if (method.SequenceEqual("GET"u8)) request.Method = RequestMethod.Get;
        else if (method.SequenceEqual("HEAD"u8)) request.Method = RequestMethod.Head;
        else if (method.SequenceEqual("OPTIONS"u8)) request.Method = RequestMethod.Options;
        else return RejectReason.MethodNotAllowed;
        if (pathOffset == 1 && target.Length == 1 && request.Method != RequestMethod.Options) return RejectReason.MalformedRequestLine;
        return RejectReason.None;
    }

    /// <summary>Index of the CR or LF ending the line that starts at <paramref name="from"/>, or -1; a CR not followed by LF fails later as a bad character.</summary>
    private static int IndexOfLineEnd(ReadOnlySpan<byte> data, int from, out int next)
    {
        int lf = data[from..].IndexOf((byte)'\n');
        next = -1;
        if (lf < 0) return -1;
        lf += from;
        next = lf + 1;
        return lf > from && data[lf - 1] == '\r' ? lf - 1 : lf;
    }

    private static bool MethodPrefixIsPlausible(ReadOnlySpan<byte> partial)
    {
        for (int i = 0; i < partial.Length; i++)
        {
            if (partial[i] == ' ') return i > 0;
            if (!IsTokenChar(partial[i]) && partial[i] != '\r') return false;
        }
        return true;
    }

    private static bool IsDigit(byte b) => b >= '0' && b <= '9';

    // tchar (RFC 9110 5.6.2).
    private static bool IsTokenChar(byte b) =>
        (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || IsDigit(b) || "!#$%&'*+-.^_`|~"u8.IndexOf(b) >= 0;

    private static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (byte b in s) if (!IsTokenChar(b)) return false;
        return true;
    }

    // field-value: VCHAR, obs-text, SP, HTAB (RFC 9110 5.5); no CR, LF, NUL or other controls.
    private static bool IsFieldValue(ReadOnlySpan<byte> s)
    {
        foreach (byte b in s) if ((b < 0x20 && b != '\t') || b == 0x7f) return false;
        return true;
    }

    private static ReadOnlySpan<byte> TrimOws(ReadOnlySpan<byte> s)
    {
        int a = 0, b = s.Length;
        while (a < b && (s[a] == ' ' || s[a] == '\t')) a++;
        while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t')) b--;
        return s[a..b];
    }

    private static bool IsZero(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (byte b in s) if (b != '0') return false;
        return true;
    }

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lowerB)
    {
        if (a.Length != lowerB.Length) return false;
        for (int i = 0; i < a.Length; i++)
            if ((a[i] | 0x20) != lowerB[i]) return false;
        return true;
    }

    /// <summary>Whether a comma-separated list (Connection) holds <paramref name="lowerToken"/>.</summary>
    private static bool ContainsToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> lowerToken)
    {
        while (!list.IsEmpty)
        {
            int comma = list.IndexOf((byte)',');
            var item = TrimOws(comma < 0 ? list : list[..comma]);
            if (EqualsIgnoreCase(item, lowerToken)) return true;
            if (comma < 0) break;
            list = list[(comma + 1)..];
        }
        return false;
    }
}
