using System.Diagnostics;

namespace Fmp4Streamer.Tests.Http;

/// <summary>Real clients (ffprobe, ffmpeg) read /stream.mp4 fed with x264 fragments: the byte stream is valid fMP4.</summary>
[Category("EndToEnd")]
public class FfmpegClientTests
{
    private static (int Exit, string Out, string Err) Run(string tool, string args, int timeoutMs = 30_000)
    {
        var psi = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { throw new InvalidOperationException(tool + " is missing: apt-get install ffmpeg", e); }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(timeoutMs))
            {
                p.Kill();
                throw new TimeoutException(tool + " " + args);
            }
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    [Test]
    public void FfprobeSeesH264()
    {
        using var f = new ServerFixture();
        using var feed = new FfmpegFeed(f.LoopThread, f.Stream);
        var (exit, output, error) = Run("ffprobe", $"-v error -show_entries stream=codec_name,width,height -of csv=p=0 http://127.0.0.1:{f.Port}/stream.mp4");
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
        Assert.That(second.Exit, Is.EqualTo(0), second.Err);
        Assert.That(second.Err.Trim(), Is.Empty);
        Assert.That(first.Result.Exit, Is.EqualTo(0), first.Result.Err);
        Assert.That(first.Result.Err.Trim(), Is.Empty);
        Assert.That(f.WaitFor(() => f.Stream.SubscriberCount == 0), Is.True, "both left");
    }
}
