namespace Fmp4Streamer.Http;

/// <summary>Answers one request that passed the gate; runs on the loop thread inside the connection's dispatch.</summary>
internal delegate void RouteHandler(HttpConnection connection, scoped in RouteRequest request);

/// <summary>One row of the route table: a path pattern (under "/" and under "/&lt;name&gt;/"), its methods and its handler.</summary>
internal sealed class Route
{
    public Route(string name, string pattern, AllowedMethods methods, RouteHandler handler, bool video = false)
    {
        Name = name;
        Video = video;
        Pattern = new RoutePattern(pattern);
        Methods = methods;
        Handler = handler;
        Allow = AllowList(methods);
    }

    /// <summary>Short name for logs and tests ("segment", "stream").</summary>
    public string Name { get; }
    public RoutePattern Pattern { get; }
    public AllowedMethods Methods { get; }
    public RouteHandler Handler { get; }

    /// <summary>Serves the stream's H264 (fMP4, raw, HLS): a pictures-only camera answers these 404.</summary>
    public bool Video { get; }

    /// <summary>Index of <see cref="Name"/> in <see cref="RouteTable.Names"/>: the requests counter of this kind.</summary>
    public int Kind { get; internal set; }

    /// <summary>The Allow header's value.</summary>
    public string Allow { get; }

    public bool Allows(RequestMethod method) => method switch
    {
        RequestMethod.Get => (Methods & AllowedMethods.Get) != 0,
        RequestMethod.Head => (Methods & AllowedMethods.Head) != 0,
        RequestMethod.Options => (Methods & AllowedMethods.Options) != 0,
        RequestMethod.Post => (Methods & AllowedMethods.Post) != 0,
        _ => false,
    };

    public override string ToString() => Name;

    internal static string AllowList(AllowedMethods methods)
    {
        var names = new List<string>(4);
        if ((methods & AllowedMethods.Get) != 0) names.Add("GET");
        if ((methods & AllowedMethods.Head) != 0) names.Add("HEAD");
        if ((methods & AllowedMethods.Options) != 0) names.Add("OPTIONS");
        if ((methods & AllowedMethods.Post) != 0) names.Add("POST");
        return string.Join(", ", names);
    }
}
