using System.Buffers.Binary;
using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.Http;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// /stream.mp4 of a stream with sound, through the real HTTP server: a client joining mid-stream gets both tracks
/// rebased onto its own timeline, still in sync, and ffmpeg reads it without a warning.
/// </summary>
public class AudioOverHttpTests
{
    [Test]
    public void AClientJoiningLateGetsBothTracksFromZeroAndInSync()
    {
        using var loopThread = new LoopThread();
        var rec = loopThread.Invoke(() => new AvRecording(AudioMuxingTests.BurstAac(), loop: loopThread.Loop));
        var server = loopThread.Invoke(() =>
        {
            var s = new HttpServer(loopThread.Loop, new HttpServerOptions { Listen = "127.0.0.1", Port = 0 }, new ILiveStream[] { rec.Hub });
            s.Start();
            return s;
        });
        string file = "";
        try
        {
            loopThread.Invoke(() => rec.RunUntil(1.2));
            using var client = new TestClient(loopThread.Invoke(() => server.Port));
            client.Send("GET /stream.mp4 HTTP/1.1\r\nHost: x\r\n\r\n");
            Assert.That(client.ReadHead(), Does.StartWith("HTTP/1.1 200"));
            Assert.That(loopThread.WaitFor(() => rec.Hub.SubscriberCount == 2, TimeSpan.FromSeconds(5)), Is.True);
            loopThread.Invoke(() => rec.RunUntil(6.2));

            var output = new MemoryStream();
            int fragments = 0;
            ulong firstVideo = ulong.MaxValue, firstAudio = ulong.MaxValue;
            // The key frame at 2 s and every frame up to 6.2 s: 127 fragments.
            while (fragments < 127)
            {
                var (type, box) = client.ReadBox();
                output.Write(box);
                if (type == "mdat") fragments++;
                if (type != "moof") continue;
                if (firstVideo == ulong.MaxValue)
                {
                    firstVideo = BinaryPrimitives.ReadUInt64BigEndian(box.AsSpan(Fmp4Streamer.Mp4.FragmentWriter.TfdtValueOffset));
                    if (box.Length > Fmp4Streamer.Mp4.AvFragmentWriter.AudioTfdtValueOffset)
                        firstAudio = BinaryPrimitives.ReadUInt64BigEndian(box.AsSpan(Fmp4Streamer.Mp4.AvFragmentWriter.AudioTfdtValueOffset));
                }
            }
            // The key fragment carries the sound captured just before the picture: that sound is the client's 0.
            Assert.That(firstAudio, Is.EqualTo(0UL), "audio starts the client's timeline");
            Assert.That(firstVideo, Is.InRange(1UL, 9000UL), "the picture follows within 100 ms at 90 kHz");

            file = FfmpegFixtures.WriteTemp("late-join.mp4", output.ToArray());
            var decode = ToolRun.Run("ffmpeg", ["-nostdin", "-v", "warning", "-i", file, "-map", "0", "-f", "null", "-"], ToolRun.DefaultTimeout);
            Assert.That(decode.StdErr.Trim(), Is.Empty, "ffmpeg warned");
            var offsets = AudioMuxingTests.Offsets(file);
            TestContext.Out.WriteLine("A/V offsets (ms): " + string.Join(", ", offsets.Select(o => (o * 1000).ToString("F2"))));
            Assert.That(offsets, Has.Count.GreaterThanOrEqualTo(3));
            Assert.That(offsets, Has.All.InRange(-0.003, 0.003));
        }
        finally
        {
            loopThread.Invoke(() => { server.Dispose(); rec.Hub.Close(); });
            if (file != "") File.Delete(file);
        }
    }
}
