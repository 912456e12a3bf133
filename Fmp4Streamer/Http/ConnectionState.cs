namespace Fmp4Streamer.Http;

/// <summary>Where one connection is; what it writes belongs to its responders.</summary>
internal enum ConnectionState
{
    /// <summary>Waiting for (more of) a request; complete pipelined requests are answered in order.</summary>
    Reading,
    /// <summary>Writing a response of known end (fixed bytes, an HLS segment, or the tail of an ended stream).</summary>
    Responding,
    /// <summary>Writing the endless fMP4 stream: fragments arrive from the hub.</summary>
    Streaming,
    /// <summary>An HLS request held on the loop until the segmenter has what it asks for (or its deadline).</summary>
    Holding,
    /// <summary>Held by the access gate: its password is checked off the loop, or a wrong one's 401 waits out its delay.</summary>
    Authenticating,
    /// <summary>After the last response: our side is shut, reading until the client closes too.</summary>
    Lingering,
    Closed,
}
