using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Http;

/// <summary>What a held HLS request waits for.</summary>
internal enum HeldHlsKind
{
    /// <summary>The master playlist of a stream that is waking up.</summary>
    MasterPlaylist,
    /// <summary>The media playlist: of a waking stream, or (LL-HLS blocking reload) once it lists segment/part.</summary>
    MediaPlaylist,
    /// <summary>A part a preload hint named, once it exists.</summary>
    Part,
}

/// <summary>
/// An HLS request held on the loop until the segmenter has what it asks for, as one value: the answer is built from
/// it when the segmenter reports a change, or a 503 at the connection's deadline.
/// </summary>
/// <param name="Sequence">Media sequence number asked for (_HLS_msn or the part's segment); -1: none.</param>
/// <param name="Part">Part index asked for (_HLS_part or the part's index); -1: none.</param>
internal readonly record struct HeldHlsRequest(HlsSegmenter Segmenter, HeldHlsKind Kind, long Sequence, int Part,
    bool HeadOnly, bool KeepAlive, ByteRange Range);
