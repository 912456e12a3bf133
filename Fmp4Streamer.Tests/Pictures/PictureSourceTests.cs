using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Jpeg;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Pictures;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Pictures;

/// <summary>Snapshots and MJPEG parts from a hub fed by hand, with the real picture thread.</summary>
public class PictureSourceTests
{
    private class FakeSource : IVideoSource
    {
        public IAccessUnitSink? Sink;
        public int Starts;
        public string Description => "fake";
        public int FramesPerSecond => 30;
        public void Start(IAccessUnitSink sink) { Sink = sink; Starts++; }
        public void Stop() => Sink = null;
        public void RequestKeyFrame() { }
        public void Dispose() { }
    }

    private sealed class FakeMjpgCamera : FakeSource, ICameraFrameOffer
    {
        public CameraFrameFormat? CameraFrameFormat => Fmp4Streamer.Streaming.CameraFrameFormat.Mjpeg;
        public ICameraFrameSink? CameraFrameSink { get; set; }
    }

    private sealed class Waiter : ISnapshotWaiter
    {
        public byte[]? Jpeg;
        public bool Answered;
        public void OnSnapshot(SharedFragment? picture)
        {
            Answered = true;
            if (picture is not null) Jpeg = picture.Buffer.AsSpan(JpegPart.JpegOffset, JpegPart.JpegLength(picture)).ToArray();
        }
    }

    private sealed class Client : IMjpegClient
    {
        public readonly List<byte[]> Parts = new();
        public bool IsReady => true;
        public long Generation { get; private set; }
        public void OnPart(SharedFragment picture, long generation)
        {
            Generation = generation;
            Parts.Add(picture.Buffer.AsSpan(JpegPart.PartStart(picture), picture.Length - JpegPart.PartStart(picture)).ToArray());
        }
    }

    private static void RunUntil(EventLoop loop, Func<bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!done())
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(until), "timed out");
            loop.RunOnce(20);
        }
    }

    [Test]
    public void Requests_during_a_decode_share_one_picture_and_the_source_is_woken_for_them()
    {
        using var loop = new EventLoop();
        var source = new FakeSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "t", AutoSleep = true, SleepGraceUs = 1000 });
        using var pictures = new PictureSource(loop, hub, new PictureOptions { Quality = 80 });
        var first = new Waiter();
        var second = new Waiter();
        pictures.RequestSnapshot(first);
        Assert.That(source.Starts, Is.EqualTo(1), "a snapshot wakes the sleeping source");
        pictures.RequestSnapshot(second);

        var encoder = new TestPatternEncoder(320, 240, 30);
        var buffer = new byte[encoder.MaxFrameSize];
        for (int n = 0; n < 5; n++)
        {
            int length = encoder.EncodeFrame(n, 1_700_000_000_000 + n * 33, n == 0, buffer);
            source.Sink!.OnAccessUnit(buffer.AsSpan(0, length), 1_000_000 + n * 33_333);
        }
        RunUntil(loop, () => first.Answered && second.Answered);
        Assert.That(first.Jpeg, Is.Not.Null);
        Assert.That(first.Jpeg, Is.EqualTo(second.Jpeg));
        var layout = JpegFrameLayout.Inspect(first.Jpeg);
        Assert.That((layout.IsComplete, layout.Width, layout.Height), Is.EqualTo((true, 320, 240)));
        Assert.That(pictures.Stats.Encodes.Value, Is.EqualTo(1));
        Assert.That(pictures.Stats.SharedAnswers.Value, Is.EqualTo(1));
        Assert.That(hub.SubscriberCount, Is.EqualTo(0), "answered: the source is no longer held");

        // Within the share window, another request gets the same picture at once.
        var third = new Waiter();
        pictures.RequestSnapshot(third);
        Assert.That(third.Jpeg, Is.EqualTo(first.Jpeg));
        Assert.That(pictures.Stats.Encodes.Value, Is.EqualTo(1));
    }

    [Test]
    public void Keeping_the_units_since_the_last_key_frame_allocates_nothing_per_frame()
    {
        using var loop = new EventLoop();
        var source = new FakeSource();
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "t", AutoSleep = false });
        hub.Open();
        using var pictures = new PictureSource(loop, hub, new PictureOptions());
        var waiter = new Waiter();
        pictures.RequestSnapshot(waiter); // attaches the output; its units are kept for a while after the answer
        var encoder = new TestPatternEncoder(320, 240, 30);
        var frames = new byte[60][];
        for (int n = 0; n < frames.Length; n++)
        {
            var buffer = new byte[encoder.MaxFrameSize];
            frames[n] = buffer[..encoder.EncodeFrame(n, 1_700_000_000_000 + n * 33, n % 30 == 0, buffer)];
        }
        int next = 0;
        void Push(int count)
        {
            for (int i = 0; i < count; i++, next++)
                source.Sink!.OnAccessUnit(frames[next % frames.Length], 1_000_000 + next * 33_333L);
        }
        Push(60);
        RunUntil(loop, () => waiter.Answered);
        Push(120); // warm: every pooled buffer exists
        long bytes = AllocationProbe.MinimumBytes(5, () => Push(60));
        Assert.That(bytes, Is.EqualTo(0), "bytes allocated for 60 frames");
    }

    [Test]
    public void Mjpg_camera_frames_pass_through_with_the_huffman_tables_they_lack_and_broken_ones_are_refused()
    {
        using var loop = new EventLoop();
        var camera = new FakeMjpgCamera();
        var hub = new StreamHub(loop, camera, new StreamHubOptions { Name = "t", AutoSleep = true });
        using var pictures = new PictureSource(loop, hub, new PictureOptions { MjpegFps = 15 });
        Assert.That(camera.CameraFrameSink, Is.Null, "nobody asks: the camera's frames are not looked at");

        byte[] withoutTables = WithoutHuffmanTables(EncodeGrey(64, 48));
        Assert.That(JpegFrameLayout.Inspect(withoutTables).HasHuffmanTables, Is.False);
        var client = new Client();
        pictures.AddMjpegClient(client);
        Assert.That(camera.CameraFrameSink, Is.Not.Null);
        camera.CameraFrameSink!.OnCameraFrame(new CameraFrame(withoutTables, CameraFrameFormat.Mjpeg, 64, 48, 0, 1_000_000));
        // 20 ms later: not due at 15 fps; then a truncated frame, which is due but refused.
        camera.CameraFrameSink!.OnCameraFrame(new CameraFrame(withoutTables, CameraFrameFormat.Mjpeg, 64, 48, 0, 1_020_000));
        camera.CameraFrameSink!.OnCameraFrame(new CameraFrame(withoutTables.AsSpan(0, withoutTables.Length - 40), CameraFrameFormat.Mjpeg, 64, 48, 0, 1_100_000));

        Assert.That(client.Parts, Has.Count.EqualTo(1), "one part: the second frame was not due and the third is broken");
        Assert.That(pictures.Stats.BrokenCameraFrames.Value, Is.EqualTo(1));
        Assert.That(pictures.Stats.Encodes.Value, Is.EqualTo(0));
        Assert.That(pictures.Stats.Passthrough.Value, Is.EqualTo(1));
        byte[] part = client.Parts[0];
        int jpegStart = part.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        var jpeg = part.AsSpan(jpegStart, part.Length - jpegStart - 2);
        var layout = JpegFrameLayout.Inspect(jpeg);
        Assert.That((layout.IsComplete, layout.HasHuffmanTables), Is.EqualTo((true, true)));
        Assert.That(jpeg.Length, Is.EqualTo(withoutTables.Length + JpegHeaderWriter.StandardHuffmanSegmentSize));

        pictures.RemoveMjpegClient(client);
        Assert.That(camera.CameraFrameSink, Is.Null, "the last client left: no more looking at frames");
    }

    /// <summary>
    /// A reload turns an H264 camera into a pictures-only MJPG one and back (capture_format changed): the MJPEG client
    /// that kept watching gets pictures from each new source, which the hub starts again for it.
    /// </summary>
    [Test]
    public void An_mjpeg_client_keeps_getting_pictures_when_a_reload_changes_the_camera_kind()
    {
        using var loop = new EventLoop();
        var h264 = new FakeSource();
        var hub = new StreamHub(loop, h264, new StreamHubOptions { Name = "t", AutoSleep = true, SleepGraceUs = 1000 });
        using var pictures = new PictureSource(loop, hub, new PictureOptions { MjpegFps = 30 });
        var client = new Client();
        pictures.AddMjpegClient(client);
        var encoder = new TestPatternEncoder(320, 240, 30);
        var buffer = new byte[encoder.MaxFrameSize];
        void PushH264(FakeSource source, int from)
        {
            for (int n = from; n < from + 3; n++)
                source.Sink!.OnAccessUnit(buffer.AsSpan(0, encoder.EncodeFrame(n, 1_700_000_000_000 + n * 33, n == from, buffer)), 1_000_000 + n * 33_333L);
        }
        PushH264(h264, 0);
        RunUntil(loop, () => client.Parts.Count > 0);

        var mjpg = new FakeMjpgCamera();
        hub.ReplaceSource(mjpg, new StreamHubOptions { Name = "t", AutoSleep = true, SleepGraceUs = 1000 });
        Assert.That(mjpg.Starts, Is.EqualTo(1), "the MJPEG client holds the new source: it starts at once");
        Assert.That(mjpg.CameraFrameSink, Is.SameAs(pictures), "the new camera's own frames are looked at");
        int before = client.Parts.Count;
        mjpg.CameraFrameSink!.OnCameraFrame(new CameraFrame(EncodeGrey(64, 48), CameraFrameFormat.Mjpeg, 64, 48, 0, 5_000_000));
        Assert.That(client.Parts, Has.Count.EqualTo(before + 1), "a part from the MJPG camera");

        var again = new FakeSource();
        hub.ReplaceSource(again, new StreamHubOptions { Name = "t", AutoSleep = true, SleepGraceUs = 1000 });
        Assert.That(again.Starts, Is.EqualTo(1));
        before = client.Parts.Count;
        PushH264(again, 100);
        RunUntil(loop, () => client.Parts.Count > before);
        var last = client.Parts[^1];
        int jpegStart = last.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
        var layout = JpegFrameLayout.Inspect(last.AsSpan(jpegStart, last.Length - jpegStart - 2));
        Assert.That((layout.IsComplete, layout.Width, layout.Height), Is.EqualTo((true, 320, 240)), "decoded from the new H264 source");
    }

    private static byte[] EncodeGrey(int width, int height)
    {
        var y = new byte[width * height];
        for (int i = 0; i < y.Length; i++) y[i] = (byte)(16 + i % 200);
        var c = new byte[width * height / 4];
        c.AsSpan().Fill(128);
        var dest = new byte[JpegEncoder.SuggestedBufferSize(width, height)];
        int n = new JpegEncoder(80).Encode(PictureView.I420(width, height, y, width, c, c, width / 2), dest);
        return dest[..n];
    }

    /// <summary>The JPEG with its DHT segments cut out, as UVC cameras send them.</summary>
    private static byte[] WithoutHuffmanTables(byte[] jpeg)
    {
        var result = new List<byte> { jpeg[0], jpeg[1] };
        int at = 2;
        while (at < jpeg.Length)
        {
            byte marker = jpeg[at + 1];
            int length = jpeg[at + 2] << 8 | jpeg[at + 3];
            if (marker == 0xDA)
            {
                result.AddRange(jpeg[at..]);
                break;
            }
            if (marker != 0xC4) result.AddRange(jpeg[at..(at + 2 + length)]);
            at += 2 + length;
        }
        return result.ToArray();
    }
}
