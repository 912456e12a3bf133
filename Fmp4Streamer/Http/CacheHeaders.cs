namespace Fmp4Streamer.Http;

/// <summary>
/// What each kind of answer tells browsers and shared caches (nginx, a CDN) about storing it, so one origin fetch of
/// a segment can serve any number of viewers while live and endless answers are never stored or held back.
/// </summary>
internal static class CacheHeaders
{
    /// <summary>
    /// The endless /stream.mp4 and /stream.h264: never stored, and "X-Accel-Buffering: no" asks nginx to pass each
    /// byte on at once instead of filling its proxy buffers first (which would add seconds of latency).
    /// </summary>
    public const string Endless = "Cache-Control: no-store\r\nX-Accel-Buffering: no\r\n";

    /// <summary>Pages and the web manifest: may be stored, but checked every time (their ETag makes that a 304).</summary>
    public const string Revalidate = "Cache-Control: no-cache\r\n";

    /// <summary>Answers that describe this moment (/metrics, snapshots): never stored.</summary>
    public const string NoStore = "Cache-Control: no-store\r\n";

    /// <summary>
    /// HLS segments and parts: a URL is never reused within a run and its bytes never change (segment numbers
    /// continue from the wall clock's seconds at start, so a restarted daemon does not reuse them either). Ten
    /// minutes is far longer than a segment stays in the playlist window (at most 30 segments of 10 s); a longer
    /// life would only widen the window in which a clock set back across a restart could repeat a number.
    /// </summary>
    public const string Immutable = "Cache-Control: public, max-age=600, immutable\r\n";

    /// <summary>
    /// Init segments: immutable within a run, but init.mp4 of a restarted daemon (perhaps another camera mode) has
    /// the same URL, so caches keep it briefly and then revalidate it by its content ETag.
    /// </summary>
    public const string Init = "Cache-Control: public, max-age=10\r\n";

    /// <summary>Icons: the same bytes for the whole life of the binary.</summary>
    public const string Icon = "Cache-Control: public, max-age=86400\r\n";

    /// <summary>
    /// A playlist without blocking directives describes the live edge: browsers must ask again every time
    /// (max-age=0), while a shared cache may answer every viewer from one copy for a second (s-maxage, RFC 9111
    /// 5.2.2.10), which collapses the reloads of many players into about one origin request a second.
    /// </summary>
    public const string LivePlaylist = "Cache-Control: public, max-age=0, s-maxage=1\r\n";
}
