namespace Fmp4Streamer.Http;

/// <summary>A request as a route handler sees it: which stream, the numbers in its path, and the headers that matter.</summary>
internal readonly ref struct RouteRequest
{
    public RouteRequest(in RouteMatch match, RequestMethod method, bool keepAlive, ReadOnlySpan<byte> query, ByteRange range)
    {
        StreamIndex = match.StreamIndex;
        Named = match.Named;
        Number = match.Number;
        Part = match.Part;
        HeadOnly = method == RequestMethod.Head;
        KeepAlive = keepAlive;
        Query = query;
        Range = range;
    }

    public int StreamIndex { get; }

    /// <summary>The path had the "/&lt;name&gt;/" prefix.</summary>
    public bool Named { get; }

    /// <summary>The path's first number (segment sequence, init generation), 0 if none.</summary>
    public long Number { get; }

    /// <summary>The path's second number (an LL-HLS part index), 0 if none.</summary>
    public int Part { get; }

    public bool HeadOnly { get; }
    public bool KeepAlive { get; }
    public ReadOnlySpan<byte> Query { get; }

    /// <summary>The Range header, parsed (not present: none, or one served whole).</summary>
    public ByteRange Range { get; }

    /// <summary>The conditional request's validators (empty: none), see <see cref="ConditionalRequest"/>.</summary>
    public ReadOnlySpan<byte> IfNoneMatch { get; init; }
    public ReadOnlySpan<byte> IfModifiedSince { get; init; }
}
