namespace Fmp4Streamer.Http;

/// <summary>The methods a route answers; the gate answers the others with 405 and this list in Allow.</summary>
[Flags]
public enum AllowedMethods
{
    Get = 1,
    Head = 2,
    /// <summary>CORS preflights (answered by the gate itself).</summary>
    Options = 4,
    /// <summary>Changing settings (the body is read before the handler runs).</summary>
    Post = 8,
    /// <summary>What every resource of this server allows: reading, and preflights for reading cross-origin.</summary>
    Read = Get | Head | Options,
}
