using System.Text;

namespace Fmp4Streamer.Rtsp;

/// <summary>Builds one RTSP response (RFC 2326 7) as bytes: status line, CSeq, the given headers, optional body.</summary>
public sealed class RtspResponse
{
    private readonly StringBuilder _head = new();
    private string? _body;

    public RtspResponse(int status, string? cseq)
    {
        Status = status;
        _head.Append("RTSP/1.0 ").Append(status).Append(' ').Append(Reason(status)).Append("\r\n");
        if (cseq is not null) Header("CSeq", cseq);
        Header("Server", "fmp4streamer");
    }

    public int Status { get; }

    public RtspResponse Header(string name, string value)
    {
        _head.Append(name).Append(": ").Append(value).Append("\r\n");
        return this;
    }

    public RtspResponse Body(string contentType, string body)
    {
        Header("Content-Type", contentType);
        _body = body;
        return this;
    }

    public byte[] ToBytes()
    {
        if (_body is not null) Header("Content-Length", Encoding.ASCII.GetByteCount(_body).ToString());
        _head.Append("\r\n");
        if (_body is not null) _head.Append(_body);
        return Encoding.ASCII.GetBytes(_head.ToString());
    }

    public static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Request Entity Too Large",
        453 => "Not Enough Bandwidth",
        454 => "Session Not Found",
        455 => "Method Not Valid in This State",
        459 => "Aggregate Operation Not Allowed",
        461 => "Unsupported Transport",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        _ => "Error",
    };
}
