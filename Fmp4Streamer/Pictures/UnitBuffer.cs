namespace Fmp4Streamer.Pictures;

/// <summary>
/// A copy of one access unit (or one raw camera frame) shared between the loop, which keeps it in the history since
/// the last key frame, and the picture worker, which decodes it. Reference-counted across the two threads; the last
/// release puts it back in its pool, whose buffers only grow, so a steady stream allocates nothing.
/// </summary>
internal sealed class UnitBuffer
{
    private readonly UnitBufferPool _pool;
    private int _references;

    internal UnitBuffer(UnitBufferPool pool, int capacity)
    {
        _pool = pool;
        Data = new byte[capacity];
    }

    public byte[] Data { get; private set; }
    public int Length { get; set; }
    public ReadOnlySpan<byte> Span => Data.AsSpan(0, Length);

    /// <summary>Capture time (µs, CLOCK_MONOTONIC; the arrival time when the source has none).</summary>
    public long CaptureTimeUs { get; set; }

    /// <summary>Counts the units of one output in arrival order: which picture a JPEG shows.</summary>
    public long Serial { get; set; }

    public bool IsKeyFrame { get; set; }

    /// <summary>For a raw camera frame: its layout, size and row stride.</summary>
    public Streaming.CameraFrameFormat Format { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public int Stride { get; set; }

    public void Retain() => Interlocked.Increment(ref _references);

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) _pool.Return(this);
    }

    internal void Reset(int capacity)
    {
        if (Data.Length < capacity) Data = new byte[Math.Max(capacity, Data.Length * 3 / 2)];
        Length = 0;
        _references = 1;
    }
}

/// <summary>Recycles <see cref="UnitBuffer"/>s; rented on the loop, returned from either thread.</summary>
internal sealed class UnitBufferPool
{
    private readonly Stack<UnitBuffer> _free = new();
    private readonly Lock _gate = new();

    /// <summary>A buffer with one reference (the caller's) and room for <paramref name="bytes"/>.</summary>
    public UnitBuffer Rent(int bytes)
    {
        UnitBuffer? buffer;
        lock (_gate) _free.TryPop(out buffer);
        buffer ??= new UnitBuffer(this, Math.Max(bytes, 64 * 1024));
        buffer.Reset(bytes);
        return buffer;
    }

    internal void Return(UnitBuffer buffer)
    {
        lock (_gate) _free.Push(buffer);
    }
}
