using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Http;

/// <summary>Real clients (ffprobe, ffmpeg) read /stream.mp4 fed with x264 fragments: the byte stream is valid fMP4.</summary>
[Category("EndToEnd")]
public class FfmpegClientTests
{
    private static ToolResult Run(string tool, string args) =>
        ToolRun.Complete(tool, args.Split(' '), TimeSpan.FromSeconds(30));

    [Test]
    public void FfprobeSeesH264()
    {
        using var f = new ServerFixture();
        using var feed = new FfmpegFeed(f.LoopThread, f.Stream);
        var (exit, output, error, _) = Run("ffprobe", $"-v error -show_entries stream=codec_name,width,height -of csv=p=0 http://127.0.0.1:{f.Port}/stream.mp4");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output.Trim(), Is.EqualTo("h264,640,480"));
    }

    [Test]
    public void FfmpegDecodesSixtyFramesWithoutErrorsWhileAnotherClientJoins()
    {
        using var f = new ServerFixture();
        using var feed = new FfmpegFeed(f.LoopThread, f.Stream);
        var first = Task.Run(() => Run("ffmpeg", $"-hide_banner -nostdin -v error -i http://127.0.0.1:{f.Port}/stream.mp4 -frames:v 60 -f null -"));
        Thread.Sleep(700);
        var second = Run("ffmpeg", $"-hide_banner -nostdin -v error -i http://127.0.0.1:{f.Port}/stream.mp4?x=1 -frames:v 30 -f null -");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.StdErr);
        Assert.That(second.StdErr.Trim(), Is.Empty);
        Assert.That(first.Result.ExitCode, Is.EqualTo(0), first.Result.StdErr);
        Assert.That(first.Result.StdErr.Trim(), Is.Empty);
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0), Is.True, "both left");
    }
}
