using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>
/// Maps request paths (query ignored) to resources. The first stream is the default at "/"; every stream is also
/// reachable as "/&lt;name&gt;/…" with the same file names, so pages keep relative links.
/// </summary>
public sealed class Routes
{
    private readonly IReadOnlyList<ILiveStream> _streams;
    private readonly byte[]?[] _pages;
    private readonly string?[] _pageCodecs;

    public Routes(IReadOnlyList<ILiveStream> streams)
    {
        if (streams.Count == 0) throw new ArgumentException("at least one stream is needed", nameof(streams));
        _streams = streams;
        _pages = new byte[streams.Count][];
        _pageCodecs = new string[streams.Count];
    }

    public IReadOnlyList<ILiveStream> Streams => _streams;

    public Resource Resolve(ReadOnlySpan<byte> path, out int streamIndex)
    {
        streamIndex = 0;
        if (path.Length > 1)
        {
            var afterSlash = path[1..];
            int slash = afterSlash.IndexOf((byte)'/');
            var first = slash < 0 ? afterSlash : afterSlash[..slash];
            for (int i = 0; i < _streams.Count; i++)
            {
                if (!AsciiEquals(first, _streams[i].Name)) continue;
                streamIndex = i;
                if (slash < 0) return Resource.AddSlash;
                path = afterSlash[slash..];
                break;
            }
        }
        return ResolveFile(path);
    }

    private static Resource ResolveFile(ReadOnlySpan<byte> path)
    {
        if (path.SequenceEqual("/"u8) || path.SequenceEqual("/index.html"u8)) return Resource.Page;
        if (path.SequenceEqual("/stream.mp4"u8)) return Resource.Stream;
        if (path.SequenceEqual("/manifest.json"u8)) return Resource.Manifest;
        if (path.SequenceEqual("/logo.png"u8)) return Resource.Logo;
        if (path.SequenceEqual("/apple-touch-icon.png"u8)) return Resource.AppleTouchIcon;
        if (path.SequenceEqual("/favicon.ico"u8)) return Resource.Favicon;
        if (path.SequenceEqual("/stream.m3u8"u8) || path.SequenceEqual("/streaminf.m3u8"u8)) return Resource.Playlist;
        return Resource.NotFound;
    }

    /// <summary>The page for a stream, rebuilt only when its codecs string changes.</summary>
    public byte[] Page(int streamIndex)
    {
        var stream = _streams[streamIndex];
        var init = stream.Init;
        string codecs = init?.Codecs ?? IndexPage.FallbackCodecs;
        if (_pages[streamIndex] is { } cached && ReferenceEquals(_pageCodecs[streamIndex], codecs)) return cached;
        int width = init?.Width ?? stream.ConfiguredWidth;
        int height = init?.Height ?? stream.ConfiguredHeight;
        string title = _streams.Count == 1 ? "fmp4streamer" : "fmp4streamer " + stream.Name;
        var page = IndexPage.Render(title, codecs, width, height);
        _pages[streamIndex] = page;
        _pageCodecs[streamIndex] = codecs;
        return page;
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length != name.Length || bytes.IsEmpty) return false;
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] != name[i]) return false;
        return true;
    }
}
