// Per-frame CPU cost of the hot paths on a real 1080p ~8 Mbit/s stream: MJPGH264 demux (contiguous and
// stitched payloads) and the hub's mux-and-fan-out (the one copy into a shared moof+mdat).
// usage: dotnet run -c Release --project tests/bench/Microbench -- FILE.h264
using System.Diagnostics;
using Fmp4Streamer.H264;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.V4L2.Uvc;
using Fmp4Streamer.V4L2.Uvc;

var units = new List<byte[]>();
var splitter = new AccessUnitSplitter();
splitter.Append(File.ReadAllBytes(args[0]));
while (splitter.TryTakeAccessUnit(out var unit)) units.Add(unit.ToArray());
var builder = new MjpegH264FrameBuilder { Width = 1920, Height = 1080 };
var frames = units.ConvertAll(u => builder.Build(u));
double averageKb = units.Average(u => u.Length) / 1024.0;

// Logitech's layout (65531 bytes per APP4 segment) keeps most 1080p frames in one segment (no copy); 16 KB
// segments force nearly every frame to be stitched, the worst case.
var (demuxNs, stitchedShare, checksum) = MeasureDemux(frames);
var (smallNs, smallShare, _) = MeasureDemux(units.ConvertAll(u => new MjpegH264FrameBuilder { Width = 1920, Height = 1080, SegmentData = 16384 }.Build(u)));
const int Passes = 50;
var clock = new Stopwatch();

using var loop = new EventLoop();
var source = new ReplaySource();
var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "bench" });
var subscriber = new NullSubscriber();
hub.Subscribe(subscriber);
for (int i = 0; i < units.Count; i++) source.Sink!.OnAccessUnit(units[i], 1 + i * 33_333L);
clock.Restart();
long t = units.Count;
for (int p = 0; p < Passes; p++)
    for (int i = 0; i < units.Count; i++, t++) source.Sink!.OnAccessUnit(units[i], 1 + t * 33_333L);
double muxNs = clock.Elapsed.TotalNanoseconds / (Passes * units.Count);

Console.WriteLine($"1080p stream: {units.Count} access units, {averageKb:0.0} KB on average ({checksum} bytes demuxed)");
Console.WriteLine("| per 1080p frame | CPU time |");
Console.WriteLine("|---|---:|");
Console.WriteLine($"| MJPGH264 demux, 65531-byte APP4 segments ({stitchedShare:P0} of frames stitched) | {demuxNs / 1000:0.00} µs |");
Console.WriteLine($"| MJPGH264 demux, 16 KB APP4 segments ({smallShare:P0} of frames stitched) | {smallNs / 1000:0.00} µs |");
Console.WriteLine($"| hub: Annex-B to AVCC copy into a shared moof+mdat, handed to one subscriber | {muxNs / 1000:0.00} µs |");

static (double Ns, double StitchedShare, long Checksum) MeasureDemux(List<byte[]> frames)
{
    const int passes = 50;
    var demuxer = new MjpegH264Demuxer();
    foreach (var f in frames) demuxer.TryDemux(f, out _); // grow the stitch buffer, JIT
    long stitchedBefore = demuxer.StitchedFrames, checksum = 0;
    var clock = Stopwatch.StartNew();
    for (int p = 0; p < passes; p++)
        foreach (var f in frames)
            if (demuxer.TryDemux(f, out var au)) checksum += au.Length;
    return (clock.Elapsed.TotalNanoseconds / (passes * frames.Count),
        (double)(demuxer.StitchedFrames - stitchedBefore) / (passes * frames.Count), checksum);
}

sealed class ReplaySource : IVideoSource
{
    public IAccessUnitSink? Sink;
    public string Description => "replay";
    public int FramesPerSecond => 30;
    public void Start(IAccessUnitSink sink) => Sink = sink;
    public void Stop() => Sink = null;
    public void RequestKeyFrame() { }
    public void Dispose() { }
}

sealed class NullSubscriber : IFragmentSubscriber
{
    public void OnFragment(SharedFragment fragment) { }
    public void OnStreamReset() { }
}
