using Fmp4Streamer.Mp4.Hls;

namespace Fmp4Streamer.Streaming.Hls;

/// <summary>
/// One published playlist's bytes, reference-counted on the loop thread like the fragments: the segmenter holds one
/// reference while it is the current playlist, every response sending it another; the last release lets the
/// segmenter write the next playlist into the same buffer. So a rebuild allocates nothing and never changes bytes
/// a connection is still sending.
/// </summary>
public sealed class HlsPlaylist
{
    private readonly Stack<HlsPlaylist> _free;
    private int _references;

    internal HlsPlaylist(Stack<HlsPlaylist> free, int capacity)
    {
        _free = free;
        Text = new PlaylistText(capacity);
    }

    internal PlaylistText Text { get; }

    public byte[] Buffer => Text.Buffer;
    public int Length => Text.Length;
    public ReadOnlySpan<byte> Span => Text.Span;
    public int References => _references;

    public void Retain() => _references++;

    public void Release()
    {
        if (--_references == 0) _free.Push(this);
    }

    internal void Reset() => _references = 1;

    public override string ToString() => Text.ToString();
}
