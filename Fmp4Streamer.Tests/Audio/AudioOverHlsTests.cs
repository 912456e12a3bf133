using System.Text.RegularExpressions;
using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>HLS of a stream with sound: CODECS names both, and segments carry both tracks, in sync, for ffmpeg.</summary>
public class AudioOverHlsTests
{
    [Test]
    public void ThePlaylistListsBothCodecsAndASegmentPlaysBothTracksInSync()
    {
        using var loopThread = new LoopThread();
        var rec = loopThread.Invoke(() => new AvRecording(AudioMuxingTests.BurstAac(), loop: loopThread.Loop) { Keep = false });
        var server = loopThread.Invoke(() =>
        {
            var s = new HttpServer(loopThread.Loop, new HttpServerOptions { Listen = "127.0.0.1", Port = 0 }, new ILiveStream[] { rec.Hub });
            s.Start();
            return s;
        });
        string file = "";
        try
        {
            int port = loopThread.Invoke(() => server.Port);
            using var client = new TestClient(port);
            client.Send("GET /stream.m3u8 HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.That(loopThread.WaitFor(() => rec.Hub.SubscriberCount > 1, TimeSpan.FromSeconds(5)), Is.True, "the segmenter subscribed");
            loopThread.Invoke(() => rec.RunUntil(6.2));
            var master = client.ReadResponse();
            Assert.That(master.Text, Does.Match("CODECS=\"avc1\\.[0-9a-f]{6},mp4a\\.40\\.2\""));

            using var c2 = new TestClient(port);
            string media = c2.Get("/streaminf.m3u8").Text;
            string segment = Regex.Matches(media, @"^seg\d+\.m4s$", RegexOptions.Multiline)[1].Value;
            var bytes = new MemoryStream();
            bytes.Write(c2.Get("/init.mp4").Body);
            bytes.Write(c2.Get("/" + segment).Body);
            file = FfmpegFixtures.WriteTemp("hls-segment.mp4", bytes.ToArray());

            string streams = ToolRun.Output("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", file]);
            Assert.That(streams.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()), Is.EqualTo(new[] { "video", "audio" }));
            var decode = ToolRun.Run("ffmpeg", ["-nostdin", "-v", "warning", "-i", file, "-map", "0", "-f", "null", "-"], ToolRun.DefaultTimeout);
            Assert.That(decode.StdErr.Trim(), Is.Empty, "ffmpeg warned");
            // A segment starts at a key frame, one per second: its first burst is its first frame's.
            var video = AvOffset.VideoTimes(file);
            var onsets = AvOffset.BurstOnsets(file);
            Assert.That(onsets, Is.Not.Empty);
            TestContext.Out.WriteLine($"first frame {video[0]:F4} s, first burst {onsets[0]:F4} s");
            Assert.That(onsets[0] - video[0], Is.InRange(-0.003, 0.003));
        }
        finally
        {
            loopThread.Invoke(() => { server.Dispose(); rec.Hub.Close(); });
            if (file != "") File.Delete(file);
        }
    }
}
