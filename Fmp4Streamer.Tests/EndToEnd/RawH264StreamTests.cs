using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>/stream.h264 (raw Annex-B, what go2rtc reads natively) from the built binary.</summary>
[Category("EndToEnd")]
public class RawH264StreamTests
{
    [Test]
    public void Ffmpeg_decodes_the_raw_stream_which_starts_with_the_parameter_sets()
    {
        using var daemon = DaemonProcess.Start("[server]\nrtsp_port = 0\n", "--test-pattern");
        var (result, frames) = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.h264", 90, TimeSpan.FromSeconds(40), "-f", "h264");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
        Assert.That(frames, Is.EqualTo(90));

        using var http = new HttpClient();
        using var response = http.GetAsync(daemon.BaseUrl + "/stream.h264", HttpCompletionOption.ResponseHeadersRead).Result;
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("video/h264"));
        using var body = response.Content.ReadAsStream();
        var start = new byte[6];
        int n = 0;
        while (n < start.Length) n += body.Read(start, n, start.Length - n);
        // Start code, then the SPS: a reader can start decoding at the first byte.
        Assert.That(start[..4], Is.EqualTo(new byte[] { 0, 0, 0, 1 }));
        Assert.That(start[4] & 0x1F, Is.EqualTo(7));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }
}
