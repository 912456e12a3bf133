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
    private readonly InitSegment?[] _pageInits;

    public Routes(IReadOnlyList<ILiveStream> streams)
    {
        if (streams.Count == 0) throw new ArgumentException("at least one stream is needed", nameof(streams));
        _streams = streams;
        _pages = new byte[streams.Count][];
        _pageInits = new InitSegment?[streams.Count];
    }

    public IReadOnlyList<ILiveStream> Streams => _streams;

    public Resource Resolve(ReadOnlySpan<byte> path, out int streamIndex) => Resolve(path, out streamIndex, out _);

    /// <param name="number">The segment's sequence number or the init segment's generation; 0 otherwise.</param>
    public Resource Resolve(ReadOnlySpan<byte> path, out int streamIndex, out long number) => Resolve(path, out streamIndex, out number, out _);

    /// <param name="part">The part index of an LL-HLS part (seg&lt;N&gt;.&lt;P&gt;.m4s); 0 otherwise.</param>
    public Resource Resolve(ReadOnlySpan<byte> path, out int streamIndex, out long number, out int part)
    {
        streamIndex = 0;
        number = 0;
        part = 0;
        bool named = false;
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
                named = true;
                break;
            }
        }
        var resource = ResolveFile(path, out number, out part);
        // The first camera keeps the reference's URLs, except "/" itself, which shows every camera.
        return resource == Resource.Page && !named && _streams.Count > 1 ? Resource.Tiles : resource;
    }

    private static Resource ResolveFile(ReadOnlySpan<byte> path, out long number, out int part)
    {
        number = 0;
        part = 0;
        if (path.SequenceEqual("/"u8) || path.SequenceEqual("/index.html"u8)) return Resource.Page;
        if (path.SequenceEqual("/stream.mp4"u8)) return Resource.Stream;
        if (path.SequenceEqual("/manifest.json"u8)) return Resource.Manifest;
        if (path.SequenceEqual("/logo.png"u8)) return Resource.Logo;
        if (path.SequenceEqual("/apple-touch-icon.png"u8)) return Resource.AppleTouchIcon;
        if (path.SequenceEqual("/favicon.ico"u8)) return Resource.Favicon;
        if (path.SequenceEqual("/icon-192.png"u8)) return Resource.HomeScreenIcon;
        if (path.SequenceEqual("/icon-512.png"u8)) return Resource.SplashIcon;
        if (path.SequenceEqual("/stream.m3u8"u8)) return Resource.MasterPlaylist;
        if (path.SequenceEqual("/streaminf.m3u8"u8)) return Resource.MediaPlaylist;
        if (path.SequenceEqual("/init.mp4"u8)) return Resource.HlsInit;
        if (TryNumbered(path, "/init"u8, ".mp4"u8, out number) && number > 0) return Resource.HlsInit;
        if (TryNumbered(path, "/seg"u8, ".m4s"u8, out number)) return Resource.HlsSegment;
        int dot = path.IndexOf((byte)'.');
        if (dot > 0 && TryNumbered(path[..dot], "/seg"u8, ""u8, out number)
            && TryNumbered(path[dot..], "."u8, ".m4s"u8, out long index) && index <= 100_000)
        {
            part = (int)index;
            return Resource.HlsPart;
        }
        number = 0;
        return Resource.NotFound;
    }

    /// <summary>prefix + decimal digits (no sign, no leading zero, at most 18) + suffix.</summary>
    private static bool TryNumbered(ReadOnlySpan<byte> path, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> suffix, out long number)
    {
        number = 0;
        if (!path.StartsWith(prefix) || !path.EndsWith(suffix)) return false;
        var digits = path[prefix.Length..^suffix.Length];
        if (digits.IsEmpty || digits.Length > 18 || (digits[0] == (byte)'0' && digits.Length > 1)) return false;
        foreach (byte b in digits)
        {
            if (b < (byte)'0' || b > (byte)'9') return false;
            number = number * 10 + (b - '0');
        }
        return true;
    }

    /// <summary>The page for a stream, rebuilt only when its init segment changes.</summary>
    public byte[] Page(int streamIndex)
    {
        var stream = _streams[streamIndex];
        var init = stream.Init;
        string codecs = init?.Codecs ?? IndexPage.FallbackCodecs;
        if (_pages[streamIndex] is { } cached && ReferenceEquals(_pageInits[streamIndex], init)) return cached;
        // The size the viewer sees: a 90/270 rotation turns the picture (tkhd matrix), so the box is turned too.
        int width = init?.DisplayWidth ?? stream.ConfiguredWidth;
        int height = init?.DisplayHeight ?? stream.ConfiguredHeight;
        string title = _streams.Count == 1 ? "fmp4streamer" : "fmp4streamer " + stream.Name;
        var page = IndexPage.Render(title, codecs, width, height);
        _pages[streamIndex] = page;
        _pageInits[streamIndex] = init;
        return page;
    }

    /// <summary>The tiles page of every camera (built per request: pages are rare, and sizes follow the streams).</summary>
    public byte[] Tiles()
    {
        var tiles = new TilesPage.Tile[_streams.Count];
        for (int i = 0; i < tiles.Length; i++)
        {
            var s = _streams[i];
            var init = s.Init;
            tiles[i] = new TilesPage.Tile(s.Name, init?.Codecs ?? IndexPage.FallbackCodecs,
                init?.DisplayWidth ?? s.ConfiguredWidth, init?.DisplayHeight ?? s.ConfiguredHeight);
        }
        return TilesPage.Render(tiles);
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.Length != name.Length || bytes.IsEmpty) return false;
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] != name[i]) return false;
        return true;
    }
}
