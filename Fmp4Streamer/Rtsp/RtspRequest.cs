namespace Fmp4Streamer.Rtsp;

/// <summary>One parsed RTSP request head (RFC 2326 6): method, URI and the headers this server reads.</summary>
public sealed class RtspRequest
{
    public required string Method { get; init; }
    public required string Uri { get; init; }

    /// <summary>The CSeq as sent, echoed in the response; null when missing.</summary>
    public string? CSeq { get; init; }

    public string? Session { get; init; }
    public string? Transport { get; init; }
    public int ContentLength { get; init; }

    /// <summary>The Authorization header's value; null when missing.</summary>
    public string? Authorization { get; init; }
}
