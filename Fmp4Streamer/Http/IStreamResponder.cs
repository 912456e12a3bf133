namespace Fmp4Streamer.Http;

/// <summary>
/// What a connection needs of the responder of an endless answer (the fMP4 stream, raw H264, MJPEG): told when
/// everything queued went out, when a send failed inside a producer's callback, after that callback, and at the close.
/// </summary>
internal interface IStreamResponder
{
    /// <summary>Frames this client did not get because it read too slowly.</summary>
    long Skipped { get; }

    /// <summary>A send failed; the connection closes at its next deadline check or deferral.</summary>
    bool Failed { get; }

    void OnCaughtUp();

    void OnSendFailed();

    /// <summary>After the dispatch that asked for it (<see cref="HttpServer.Defer"/>).</summary>
    void OnDeferred();

    /// <summary>The connection closed: leave the producer and log the visit; false if this responder never streamed.</summary>
    bool Stop(long fragments, string? reason);
}
