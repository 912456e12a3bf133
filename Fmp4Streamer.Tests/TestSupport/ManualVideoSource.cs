using Fmp4Streamer.Streaming;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>A video source the test drives: it pushes access units through <see cref="Sink"/> and counts the calls.</summary>
public sealed class ManualVideoSource(int framesPerSecond = 30) : IVideoSource
{
    public IAccessUnitSink? Sink;
    public int Starts, Stops, KeyFrameRequests;
    public string Description => "manual";
    public int FramesPerSecond => framesPerSecond;
    public void Start(IAccessUnitSink sink) { Sink = sink; Starts++; }
    public void Stop() { Sink = null; Stops++; }
    public void RequestKeyFrame() => KeyFrameRequests++;
    public void Dispose() { }
    public bool PicturesOnly { get; set; }
}
