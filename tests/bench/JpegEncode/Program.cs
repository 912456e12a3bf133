// CPU time per picture of the daemon's JPEG encoder (quality 85, one thread, best of N runs; thread CPU time, so other
// jobs on the machine inflate the figures less than wall time), for each kind of picture the daemon encodes, and of the
// check an MJPG camera's frame gets before it is passed through.
// usage: JpegEncode WIDTHxHEIGHT I420_FILE NV12_FILE YUYV_FILE MJPG_FILE [RUNS]   -> Markdown table rows; on stderr,
// whether the vector and scalar paths made the same JPEGs
using System.Diagnostics;
using System.Runtime.InteropServices;
using Fmp4Streamer.Jpeg;

string[] size = args[0].Split('x');
int w = int.Parse(size[0]), h = int.Parse(size[1]);
byte[] i420 = File.ReadAllBytes(args[1]), nv12 = File.ReadAllBytes(args[2]), yuyv = File.ReadAllBytes(args[3]), mjpg = File.ReadAllBytes(args[4]);
int runs = args.Length > 5 ? int.Parse(args[5]) : 30;
int cw = (w + 1) / 2, ch = (h + 1) / 2;
var dest = new byte[JpegEncoder.SuggestedBufferSize(w, h)];

Row("I420 (H264 decoder output)", true, e => e.Encode(PictureView.I420(w, h, i420.AsSpan(0, w * h), w,
    i420.AsSpan(w * h, cw * ch), i420.AsSpan(w * h + cw * ch, cw * ch), cw), dest));
Row("I420, scalar path", false, e => e.Encode(PictureView.I420(w, h, i420.AsSpan(0, w * h), w,
    i420.AsSpan(w * h, cw * ch), i420.AsSpan(w * h + cw * ch, cw * ch), cw), dest));
Row("NV12 (M2M decoder output)", true, e => e.Encode(PictureView.Nv12(w, h, nv12.AsSpan(0, w * h), w, nv12.AsSpan(w * h), w), dest));
Row("YUYV camera (4:2:2)", true, e => e.Encode(PictureView.Yuyv(w, h, yuyv, w * 2), dest));
Row("YUYV camera, scalar path", false, e => e.Encode(PictureView.Yuyv(w, h, yuyv, w * 2), dest));
Console.Error.WriteLine($"vector path {(new JpegEncoder(85).IsVectorised ? "on" : "off")}; vector and scalar JPEGs identical: I420 {Same(v => PictureView.I420(w, h,
    i420.AsSpan(0, w * h), w, i420.AsSpan(w * h, cw * ch), i420.AsSpan(w * h + cw * ch, cw * ch), cw), dest)}, NV12 {Same(v =>
    PictureView.Nv12(w, h, nv12.AsSpan(0, w * h), w, nv12.AsSpan(w * h), w), dest)}, YUYV {Same(v => PictureView.Yuyv(w, h, yuyv, w * 2), dest)}");
var (inspectUs, _) = Measure(() => JpegFrameLayout.Inspect(mjpg).Length, runs * 100);
Console.WriteLine($"| {w}x{h} | MJPG camera frame passed through ({mjpg.Length / 1024.0:0.0} KB, checked, no encode) | {inspectUs / 1000:0.000} ms | – | 0 B |");

void Row(string what, bool vectorised, Func<JpegEncoder, int> encode)
{
    var encoder = new JpegEncoder(85, vectorised);
    int length = 0;
    encode(encoder);
    long before = GC.GetAllocatedBytesForCurrentThread();
    encode(encoder);
    long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
    var (us, meanUs) = Measure(() => length = encode(encoder), runs);
    Console.WriteLine($"| {w}x{h} | {what} | {us / 1000:0.00} / {meanUs / 1000:0.00} ms | {length / 1024.0:0.0} KB | {allocated} B |");
}

// The vector path's JPEG against the scalar path's, byte for byte (run under qemu for arm64's Neon path).
static string Same(Func<bool, PictureView> view, byte[] scratch)
{
    var other = new byte[scratch.Length];
    int a = new JpegEncoder(85, vectorised: true).Encode(view(true), scratch);
    int b = new JpegEncoder(85, vectorised: false).Encode(view(false), other);
    return a > 0 && scratch.AsSpan(0, a).SequenceEqual(other.AsSpan(0, b)) ? "yes" : "NO";
}

static (double BestUs, double MeanUs) Measure(Func<int> work, int runs)
{
    double best = double.MaxValue, sum = 0;
    for (int i = 0; i < runs; i++)
    {
        long t0 = ThreadCpuNs();
        work();
        double us = (ThreadCpuNs() - t0) / 1000.0;
        best = Math.Min(best, us);
        sum += us;
    }
    return (best, sum / runs);
}

static long ThreadCpuNs()
{
    Span<long> time = stackalloc long[2];
    // CLOCK_THREAD_CPUTIME_ID = 3; struct timespec is two longs on 64-bit Linux.
    if (ClockGetTime(3, ref MemoryMarshal.GetReference(time)) != 0) throw new InvalidOperationException("clock_gettime failed");
    return time[0] * 1_000_000_000 + time[1];
}

[DllImport("libc", EntryPoint = "clock_gettime")]
static extern int ClockGetTime(int clock, ref long timespec);
