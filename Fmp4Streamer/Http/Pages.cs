using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Http;

/// <summary>The HTML pages: one per stream (cached until its init segment changes) and the tiles of every camera.</summary>
internal sealed class Pages
{
    private readonly IReadOnlyList<ILiveStream> _streams;
    private readonly byte[]?[] _pages;
    private readonly InitSegment?[] _pageInits;
    private readonly bool[] _picturesOnly;

    public Pages(IReadOnlyList<ILiveStream> streams)
    {
        _streams = streams;
        _pages = new byte[streams.Count][];
        _pageInits = new InitSegment?[streams.Count];
        _picturesOnly = new bool[streams.Count];
    }

    /// <summary>The page for a stream, rebuilt only when its init segment changes.</summary>
    public byte[] Page(int streamIndex)
    {
        var stream = _streams[streamIndex];
        var init = stream.Init;
        string codecs = init?.Codecs ?? FallbackCodecs(stream);
        if (_pages[streamIndex] is { } cached && ReferenceEquals(_pageInits[streamIndex], init) && _picturesOnly[streamIndex] == stream.PicturesOnly)
            return cached;
        // The size the viewer sees: a 90/270 rotation turns the picture (tkhd matrix), so the box is turned too.
        int width = init?.DisplayWidth ?? stream.ConfiguredWidth;
        int height = init?.DisplayHeight ?? stream.ConfiguredHeight;
        string title = _streams.Count == 1 ? "fmp4streamer" : "fmp4streamer " + stream.Name;
        var page = IndexPage.Render(title, codecs, width, height, stream.PicturesOnly);
        _pages[streamIndex] = page;
        _picturesOnly[streamIndex] = stream.PicturesOnly;
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
            tiles[i] = new TilesPage.Tile(s.Name, init?.Codecs ?? FallbackCodecs(s),
                init?.DisplayWidth ?? s.ConfiguredWidth, init?.DisplayHeight ?? s.ConfiguredHeight, s.PicturesOnly);
        }
        return TilesPage.Render(tiles);
    }

    /// <summary>Before the first frame: the usual video codec, and the sound's when the stream has one.</summary>
    private static string FallbackCodecs(ILiveStream stream) =>
        stream.AudioCodecs is { } audio ? IndexPage.FallbackCodecs + "," + audio : IndexPage.FallbackCodecs;
}
