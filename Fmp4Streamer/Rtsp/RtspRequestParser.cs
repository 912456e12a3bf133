using System.Text;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Parses an RTSP request head (request line, headers, blank line). Input is bytes from the network: anything
/// unexpected is reported with the status to answer, never thrown.
/// </summary>
public static class RtspRequestParser
{
    public const int MaxHeadBytes = 8192;
    private const int MaxBodyBytes = 64 * 1024;

    public enum Result { Complete, NeedMore, Malformed, TooLarge }

    /// <summary>
    /// Parses the head at the start of <paramref name="data"/>; on <see cref="Result.Complete"/> <paramref name="consumed"/>
    /// covers the head and its body (which this server ignores).
    /// </summary>
    public static Result TryParse(ReadOnlySpan<byte> data, out RtspRequest? request, out int consumed)
    {
        request = null;
        consumed = 0;
        int end = data.IndexOf("\r\n\r\n"u8);
        int terminator = 4;
        if (end < 0)
        {
            // Some clients end lines with a bare LF.
            end = data.IndexOf("\n\n"u8);
            terminator = 2;
        }
        if (end < 0) return data.Length >= MaxHeadBytes ? Result.TooLarge : Result.NeedMore;
        if (end >= MaxHeadBytes) return Result.TooLarge;
        var head = data[..end];
        foreach (byte b in head)
            if (b == 0 || b >= 0x80) return Result.Malformed;

        string text = Encoding.ASCII.GetString(head);
        string[] lines = text.Split('\n');
        string[] start = lines[0].TrimEnd('\r').Split(' ');
        if (start.Length != 3 || start[2] != "RTSP/1.0" || start[0].Length == 0 || start[1].Length == 0) return Result.Malformed;
        foreach (char c in start[0])
            if (c is < 'A' or > 'Z' and not '_') return Result.Malformed;

        string? cseq = null, session = null, transport = null, authorization = null;
        int contentLength = 0;
        for (int i = 1; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            int colon = line.IndexOf(':');
            if (colon <= 0) return Result.Malformed;
            string name = line[..colon].Trim();
            string value = line[(colon + 1)..].Trim();
            if (name.Equals("CSeq", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length == 0 || value.Length > 10 || !value.All(char.IsAsciiDigit)) return Result.Malformed;
                cseq = value;
            }
            else if (name.Equals("Session", StringComparison.OrdinalIgnoreCase)) session = value.Split(';')[0].Trim();
            else if (name.Equals("Transport", StringComparison.OrdinalIgnoreCase)) transport = value;
            else if (name.Equals("Authorization", StringComparison.OrdinalIgnoreCase)) authorization = value;
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(value, out contentLength) || contentLength < 0 || contentLength > MaxBodyBytes) return Result.Malformed;
            }
        }
        int total = end + terminator + contentLength;
        if (data.Length < total) return Result.NeedMore;
        consumed = total;
        request = new RtspRequest
        {
            Method = start[0], Uri = start[1], CSeq = cseq, Session = session, Transport = transport,
            ContentLength = contentLength, Authorization = authorization,
        };
        return Result.Complete;
    }
}
