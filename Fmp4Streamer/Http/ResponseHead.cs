using System.Text;

namespace Fmp4Streamer.Http;

/// <summary>Writes a status line and headers into a byte span (ASCII), without allocating.</summary>
public ref struct ResponseHead
{
    private readonly Span<byte> _buffer;
    private int _length;

    public ResponseHead(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
    }

    public readonly int Length => _length;

    /// <summary>Status line, Server and Date.</summary>
    public void Start(int status)
    {
        Append("HTTP/1.1 ");
        Append(status);
        Append(" ");
        Append(ReasonPhrase(status));
        Append("\r\nServer: fmp4streamer\r\nDate: ");
        Span<char> date = stackalloc char[32];
        DateTime.UtcNow.TryFormat(date, out int n, "r");
        Append(date[..n]);
        Append("\r\n");
    }

    public void Header(string name, string value)
    {
        Append(name);
        Append(": ");
        Append(value);
        Append("\r\n");
    }

    public void ContentLength(long length)
    {
        Append("Content-Length: ");
        AppendLong(length);
        Append("\r\n");
    }

    /// <summary>Content-Range of a 206: bytes first-last/length, with last inclusive.</summary>
    public void ContentRange(long start, long end, long length)
    {
        Append("Content-Range: bytes ");
        AppendLong(start);
        Append("-");
        AppendLong(end - 1);
        Append("/");
        AppendLong(length);
        Append("\r\n");
    }

    /// <summary>Content-Range of a 416: bytes */length.</summary>
    public void UnsatisfiedRange(long length)
    {
        Append("Content-Range: bytes */");
        AppendLong(length);
        Append("\r\n");
    }

    public void AppendLong(long value)
    {
        value.TryFormat(_buffer[_length..], out int n);
        _length += n;
    }

    public void Connection(bool keepAlive) => Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");

    public void End() => Append("\r\n");

    public void Append(scoped ReadOnlySpan<char> text)
    {
        int n = Encoding.ASCII.GetBytes(text, _buffer[_length..]);
        _length += n;
    }

    public void Append(scoped ReadOnlySpan<byte> ascii)
    {
        ascii.CopyTo(_buffer[_length..]);
        _length += ascii.Length;
    }

    public void Append(int value)
    {
        value.TryFormat(_buffer[_length..], out int n);
        _length += n;
    }

    public static string ReasonPhrase(int status) => status switch
    {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        414 => "URI Too Long",
        416 => "Range Not Satisfiable",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    };
}
