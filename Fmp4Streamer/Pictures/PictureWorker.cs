using System.Diagnostics;
using Fmp4Streamer.H264.Decoding;
using Fmp4Streamer.Jpeg;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Pictures;

/// <summary>What the worker is asked to do with one queued unit.</summary>
[Flags]
internal enum PictureWork
{
    /// <summary>Decode the access unit (keeps the decoder in step; no picture).</summary>
    Decode = 1,
    /// <summary>After decoding: encode the newest picture if the MJPEG interval has passed since the last one.</summary>
    EncodeIfDue = 2,
    /// <summary>After decoding: flush the decoder and encode the newest picture (a snapshot).</summary>
    EncodeNow = 4,
    /// <summary>The unit is a raw camera frame (YUYV or NV12): encode it as it is.</summary>
    EncodeRaw = 8,
}

/// <summary>A finished picture (or a failed attempt), handed back to the loop.</summary>
internal readonly record struct PictureResult(SharedFragment? Picture, long Serial, long CaptureTimeUs, bool Requested,
    long EncodeUs, string? Error);

/// <summary>
/// The one thread of a stream's pictures: decodes access units with the in-binary H.264 decoder, rotates and scales
/// when configured, encodes JPEG into buffers the loop lent it, and hands results back through
/// <see cref="EventLoop.Post"/>. The loop never waits for it: it only queues units under a short lock. Decoder state
/// carries over between requests, so units already decoded are not decoded again.
/// </summary>
internal sealed class PictureWorker : IDisposable
{
    private readonly EventLoop _loop;
    private readonly string _name;
    private readonly Action<PictureWorker> _onResults;
    private readonly Action _deliver;
    private readonly object _gate = new();
    private readonly Queue<(UnitBuffer? Unit, PictureWork Work)> _queue = new();
    private readonly Stack<SharedFragment> _spares = new();
    private readonly Queue<PictureResult> _results = new();
    private readonly H264Decoder _decoder = new();
    private readonly PictureTransform _transform = new();
    private readonly JpegEncoder _encoder;
    private readonly int _rotation;
    private readonly int _maxWidth;
    private readonly long _intervalUs;
    private Thread? _thread;
    private bool _stopping;
    private bool _posted;
    private DecodedPicture? _newest;
    private long _newestSerial;
    private long _lastEncodedCaptureUs = long.MinValue / 2;
    private long _decodes;
    private string? _reportedRefusal;

    public PictureWorker(EventLoop loop, string name, int quality, int rotation, int maxWidth, int mjpegFps, Action<PictureWorker> onResults)
    {
        _loop = loop;
        _name = name;
        _encoder = new JpegEncoder(quality);
        _rotation = rotation;
        _maxWidth = maxWidth;
        _intervalUs = 1_000_000 / Math.Max(1, mjpegFps);
        _onResults = onResults;
        _deliver = () => _onResults(this);
    }

    /// <summary>Access units decoded so far (read by /metrics).</summary>
    public long Decodes => Interlocked.Read(ref _decodes);

    /// <summary>Units waiting for the worker.</summary>
    public int Backlog
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Spare picture buffers the worker holds.</summary>
    public int Spares
    {
        get { lock (_gate) return _spares.Count; }
    }

    /// <summary>Queues a unit (the worker takes its own reference) or, with a null unit, only the work.</summary>
    public void Enqueue(UnitBuffer? unit, PictureWork work)
    {
        unit?.Retain();
        lock (_gate)
        {
            _queue.Enqueue((unit, work));
            Monitor.Pulse(_gate);
        }
        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "pictures " + _name };
            _thread.Start();
        }
    }

    /// <summary>Lends a picture buffer rented on the loop; the worker returns it inside a result.</summary>
    public void AddSpare(SharedFragment buffer)
    {
        lock (_gate) _spares.Push(buffer);
    }

    /// <summary>Loop thread: the next result, if any.</summary>
    public bool TryTakeResult(out PictureResult result)
    {
        lock (_gate)
        {
            if (_results.TryDequeue(out result)) return true;
            _posted = false;
            return false;
        }
    }

    /// <summary>Loop thread, after the worker stopped: the spares it still holds, to release.</summary>
    public bool TryTakeSpare(out SharedFragment? spare)
    {
        lock (_gate) return _spares.TryPop(out spare);
    }

    private void Run()
    {
        while (true)
        {
            (UnitBuffer? Unit, PictureWork Work) item;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_stopping) return;
                item = _queue.Dequeue();
            }
            try
            {
                Process(item.Unit, item.Work);
            }
            finally
            {
                item.Unit?.Release();
            }
        }
    }

    private void Process(UnitBuffer? unit, PictureWork work)
    {
        if ((work & PictureWork.EncodeRaw) != 0 && unit is not null)
        {
            var view = unit.Format == CameraFrameFormat.Yuyv
                ? PictureView.Yuyv(unit.Width, unit.Height, unit.Span, unit.Stride)
                : PictureView.Nv12(unit.Width, unit.Height, unit.Span, unit.Stride, unit.Span[(unit.Stride * unit.Height)..], unit.Stride);
            Encode(view, unit.Serial, unit.CaptureTimeUs, requested: (work & PictureWork.EncodeNow) != 0);
            return;
        }
        if (unit is not null && (work & PictureWork.Decode) != 0)
        {
            _decoder.Decode(unit.Span, unit.CaptureTimeUs);
            Interlocked.Increment(ref _decodes);
            TakePictures(unit.Serial);
            if (_decoder.Refusal is string refusal && refusal != _reportedRefusal)
            {
                _reportedRefusal = refusal;
                Post(new PictureResult(null, unit.Serial, 0, false, 0, refusal));
            }
        }
        if ((work & PictureWork.EncodeNow) != 0)
        {
            _decoder.Flush();
            TakePictures(_newestSerial);
            EncodeNewest(requested: true);
        }
        else if ((work & PictureWork.EncodeIfDue) != 0 && _newest is not null
            && _newest.CaptureTime - _lastEncodedCaptureUs >= _intervalUs - _intervalUs / 4)
        {
            EncodeNewest(requested: false);
        }
    }

    /// <summary>Keeps the newest finished picture; earlier ones go back to the decoder.</summary>
    private void TakePictures(long serial)
    {
        while (_decoder.TryGetPicture(out var picture))
        {
            if (_newest is not null) _decoder.Return(_newest);
            _newest = picture;
            _newestSerial = serial;
        }
    }

    private void EncodeNewest(bool requested)
    {
        var p = _newest;
        if (p is null)
        {
            if (requested) Post(new PictureResult(null, 0, 0, true, 0, "no picture decoded"));
            return;
        }
        var luma = p.Luma;
        var view = PictureView.I420(p.Width, p.Height, luma.Data.AsSpan(luma.IndexOf(p.CropLeft, p.CropTop)), luma.Stride,
            p.Cb.Data.AsSpan(p.Cb.IndexOf(p.CropLeft / 2, p.CropTop / 2)), p.Cr.Data.AsSpan(p.Cr.IndexOf(p.CropLeft / 2, p.CropTop / 2)),
            p.Cb.Stride);
        Encode(view, _newestSerial, p.CaptureTime, requested);
    }

    private void Encode(in PictureView source, long serial, long captureTimeUs, bool requested)
    {
        SharedFragment? buffer;
        lock (_gate) _spares.TryPop(out buffer);
        if (buffer is null)
        {
            // The loop has not yet given back a buffer: an MJPEG frame is skipped; a snapshot must not be.
            if (requested) Post(new PictureResult(null, serial, captureTimeUs, true, 0, "no picture buffer"));
            return;
        }
        long start = Stopwatch.GetTimestamp();
        var view = PictureTransform.IsIdentity(source.Width, source.Height, _rotation, _maxWidth)
            ? source
            : _transform.Apply(source, _rotation, _maxWidth);
        int capacity = buffer.Buffer.Length - JpegPart.JpegOffset - 2;
        int length = capacity > 0 ? _encoder.Encode(view, buffer.Buffer.AsSpan(JpegPart.JpegOffset, capacity)) : -1;
        long us = (long)Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        if (length < 0)
        {
            Post(new PictureResult(buffer, serial, captureTimeUs, requested, us, "the JPEG did not fit its buffer"));
            return;
        }
        JpegPart.Complete(buffer.Buffer, length);
        buffer.Length = JpegPart.JpegOffset + length + 2;
        buffer.CaptureTimeUs = captureTimeUs;
        _lastEncodedCaptureUs = captureTimeUs;
        Post(new PictureResult(buffer, serial, captureTimeUs, requested, us, null));
    }

    private void Post(in PictureResult result)
    {
        bool post;
        lock (_gate)
        {
            _results.Enqueue(result);
            post = !_posted;
            _posted = true;
        }
        if (post) _loop.Post(_deliver);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread?.Join();
        lock (_gate)
        {
            while (_queue.TryDequeue(out var item)) item.Unit?.Release();
        }
    }
}
