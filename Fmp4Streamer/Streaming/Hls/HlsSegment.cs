using Fmp4Streamer.Mp4.Hls;

namespace Fmp4Streamer.Streaming.Hls;

/// <summary>
/// One HLS media segment: the hub's shared fragments from a key frame to the next cut, referenced, not copied.
/// Reference-counted on the loop thread like the fragments: the segmenter's window holds one reference, every
/// connection sending it another; the last release releases the fragments and recycles the object.
/// </summary>
public sealed class HlsSegment
{
    private readonly Stack<HlsSegment> _free;
    private readonly List<SharedFragment> _fragments = new(64);
    // Low-Latency HLS parts: fragment index where each completed part ends, and its duration.
    private readonly List<int> _partEnds = new(8);
    private readonly List<ulong> _partTicks = new(8);
    private ulong _closedPartTicks;
    private int _references;

    internal HlsSegment(Stack<HlsSegment> free) => _free = free;

    /// <summary>Media sequence number (0 while the segment is still open).</summary>
    public long Sequence { get; internal set; }

    public InitSegment Init { get; private set; } = null!;

    /// <summary>Which init segment generation (init.mp4, init1.mp4, …) the fragments decode with.</summary>
    public int InitGeneration { get; private set; }

    /// <summary>EXT-X-DISCONTINUITY before it: new parameter sets, or a break in the timeline.</summary>
    public bool Discontinuity { get; private set; }

    internal void MarkDiscontinuity() => Discontinuity = true;

    /// <summary>UTC wall-clock time of the first frame: the run's anchor plus the media time since it.</summary>
    public DateTime ProgramDateTime { get; internal set; }
    public ulong DurationTicks { get; private set; }

    /// <summary>The first fragment's decode time (shared timeline); the next segment continues at <see cref="EndDecodeTime"/>.</summary>
    public ulong FirstDecodeTime { get; private set; }
    public ulong EndDecodeTime => FirstDecodeTime + DurationTicks;

    /// <summary>
    /// Subtracted from every fragment's tfdt in this segment's responses (segment and parts), 0 = none: the shared
    /// timeline keeps growing across sleeps, while HLS players place a segment at the sum of the EXTINF before it,
    /// so responses carry (tfdt − origin) = that sum since the segmenter started.
    /// </summary>
    public ulong DecodeTimeOrigin { get; internal set; }

    /// <summary>Bytes of all fragments: the response's Content-Length.</summary>
    public long Bytes { get; private set; }

    public int Count => _fragments.Count;

    /// <summary>Completed parts (the fragments after the last one form the part being written).</summary>
    public int PartCount => _partEnds.Count;

    /// <summary>Duration of the part being written.</summary>
    public ulong OpenPartTicks => DurationTicks - _closedPartTicks;

    public int PartStart(int part) => part == 0 ? 0 : _partEnds[part - 1];
    public int PartEnd(int part) => _partEnds[part];
    public ulong PartTicks(int part) => _partTicks[part];

    public long PartBytes(int part)
    {
        long bytes = 0;
        for (int i = PartStart(part); i < _partEnds[part]; i++) bytes += _fragments[i].Length;
        return bytes;
    }

    public PlaylistPart ToPlaylistPart(int part) => new(_partTicks[part], _fragments[PartStart(part)].IsKeyFrame);
    public bool PartIndependent(int part) => _fragments[PartStart(part)].IsKeyFrame;
    public SharedFragment this[int index] => _fragments[index];
    public int References => _references;

    public PlaylistSegment ToPlaylistSegment() => new(Sequence, DurationTicks, InitGeneration, Discontinuity, ProgramDateTime);

    public void Retain() => _references++;

    public void Release()
    {
        if (--_references > 0) return;
        for (int i = 0; i < _fragments.Count; i++) _fragments[i].Release();
        _fragments.Clear();
        _partEnds.Clear();
        _partTicks.Clear();
        Init = null!;
        _free.Push(this);
    }

    internal void Reset(InitSegment init, int generation, bool discontinuity)
    {
        _references = 1;
        Sequence = 0;
        Init = init;
        InitGeneration = generation;
        Discontinuity = discontinuity;
        DurationTicks = 0;
        FirstDecodeTime = 0;
        DecodeTimeOrigin = 0;
        Bytes = 0;
        _closedPartTicks = 0;
    }

    /// <summary>Ends the part being written; false when it is empty.</summary>
    internal bool ClosePart()
    {
        int start = _partEnds.Count == 0 ? 0 : _partEnds[^1];
        if (_fragments.Count == start) return false;
        _partEnds.Add(_fragments.Count);
        _partTicks.Add(OpenPartTicks);
        _closedPartTicks = DurationTicks;
        return true;
    }

    internal void Add(SharedFragment fragment)
    {
        fragment.Retain();
        fragment.HeldForReplay = true;
        if (_fragments.Count == 0) FirstDecodeTime = fragment.DecodeTime;
        _fragments.Add(fragment);
        DurationTicks += fragment.Duration;
        Bytes += fragment.Length;
    }
}
