using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2;

public class BufferQueueTests : SimulatedDeviceTest
{
    private uint CaptureType => Driver.IsMultiPlanar ? V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE : V4L2_BUF_TYPE_VIDEO_CAPTURE;

    [Test]
    public void QueuesEveryBufferBeforeStreamOn()
    {
        using var queue = new BufferQueue(Device, CaptureType, 4);
        Driver.IoctlLog.Clear();
        queue.Start();
        Assert.That(Driver.IoctlLog, Is.EqualTo(new[] { "VIDIOC_QBUF", "VIDIOC_QBUF", "VIDIOC_QBUF", "VIDIOC_QBUF", "VIDIOC_STREAMON" }));
        Assert.That(Driver.QueuedCount, Is.EqualTo(4));
    }

    [Test]
    public void MapsAndExportsEachBufferAndReleasesAllOnDispose()
    {
        var queue = new BufferQueue(Device, CaptureType, 4);
        Assert.That(queue.Count, Is.EqualTo(4));
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(4));
        Assert.That(Driver.OpenFdCount, Is.EqualTo(1 + 4), "device fd + one dmabuf fd per buffer");
        Assert.That(queue.DmabufFd(0), Is.GreaterThanOrEqualTo(0));
        queue.Start();
        queue.Dispose();
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(0));
        Assert.That(Driver.OpenFdCount, Is.EqualTo(1));
        Assert.That(Driver.BufferCount, Is.EqualTo(0), "REQBUFS 0 freed the driver's buffers");
        Assert.That(Driver.Streaming, Is.False);
    }

    [Test]
    public void DeliversFramesInTheOrderTheDriverCompletesThemAndRequeues()
    {
        using var queue = new BufferQueue(Device, CaptureType, 4);
        queue.Start();
        Driver.Feed(new byte[] { 0, 0, 0, 1, 0x65, 3 }, 1_000_000, V4L2_BUF_FLAG_KEYFRAME, index: 2);
        Driver.Feed(new byte[] { 0, 0, 0, 1, 0x41 }, 1_033_333, 0, index: 0);
        Driver.Feed(new byte[] { 0, 0, 0, 1, 0x41, 9 }, 1_066_666, 0, index: 3);
        var receiver = new RecordingReceiver();
        Assert.That(queue.Drain(receiver), Is.EqualTo(3));
        Assert.That(receiver.Frames.ConvertAll(f => f.Index), Is.EqualTo(new[] { 2, 0, 3 }));
        Assert.That(receiver.Frames[0].Data, Is.EqualTo(new byte[] { 0, 0, 0, 1, 0x65, 3 }));
        Assert.That(receiver.Frames.ConvertAll(f => f.TimestampUs), Is.EqualTo(new[] { 1_000_000L, 1_033_333L, 1_066_666L }));
        Assert.That((receiver.Frames[0].Flags & V4L2_BUF_FLAG_KEYFRAME) != 0, Is.True);
        Assert.That(Driver.QueuedCount, Is.EqualTo(4), "every buffer went straight back to the driver");
    }

    [Test]
    public void EagainEndsADrainWithoutError()
    {
        using var queue = new BufferQueue(Device, CaptureType, 4);
        queue.Start();
        Assert.That(queue.Drain(new RecordingReceiver()), Is.EqualTo(0));
        Driver.InjectDequeueError(LibC.EAGAIN);
        Assert.That(queue.Drain(new RecordingReceiver()), Is.EqualTo(0));
    }

    [TestCase(19, TestName = "ENODEV mid-stream throws")]
    [TestCase(5, TestName = "EIO mid-stream throws")]
    [TestCase(32, TestName = "EPIPE mid-stream throws")]
    public void DeviceErrorsThrowWithTheErrno(int errno)
    {
        using var queue = new BufferQueue(Device, CaptureType, 4);
        queue.Start();
        Driver.InjectDequeueError(errno);
        var e = Assert.Throws<LinuxException>(() => queue.Drain(new RecordingReceiver()));
        Assert.That(e!.Errno, Is.EqualTo(errno));
        Assert.That(e.Message, Does.StartWith("VIDIOC_DQBUF /dev/video-sim: " + LinuxError.Name(errno)));
    }

    [Test]
    public void ErrorFlaggedAndEmptyBuffersAreRequeuedWithoutDelivery()
    {
        using var queue = new BufferQueue(Device, CaptureType, 4);
        queue.Start();
        Driver.Feed(new byte[] { 1, 2, 3 }, 5, V4L2_BUF_FLAG_ERROR);
        Driver.Feed(Array.Empty<byte>(), 6);
        Driver.Feed(new byte[] { 7 }, 7);
        var receiver = new RecordingReceiver();
        Assert.That(queue.Drain(receiver), Is.EqualTo(1));
        Assert.That(receiver.Frames[0].Data, Is.EqualTo(new byte[] { 7 }));
        Assert.That(Driver.QueuedCount, Is.EqualTo(4));
    }

    [Test]
    public void BytesusedBeyondTheMappingIsClampedToIt()
    {
        using var queue = new BufferQueue(Device, CaptureType, 2);
        queue.Start();
        Driver.Feed(new byte[] { 1, 2, 3 }, 1, reportBytesUsed: Driver.BufferSize + 4096);
        var receiver = new RecordingReceiver();
        Assert.That(queue.Drain(receiver), Is.EqualTo(1));
        Assert.That(receiver.Frames[0].Data.Length, Is.EqualTo(Driver.BufferSize));
        Assert.That(receiver.Frames[0].Data[..3], Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void AcceptsFewerBuffersThanAskedButNotFewerThanTwo()
    {
        Driver.GrantBuffers = 3;
        using (var queue = new BufferQueue(Device, CaptureType, 6)) Assert.That(queue.Count, Is.EqualTo(3));
        Driver.GrantBuffers = 1;
        var e = Assert.Throws<V4l2Exception>(() => new BufferQueue(Device, CaptureType, 6));
        Assert.That(e!.Message, Is.EqualTo("Insufficient buffer memory on /dev/video-sim: asked for 6 buffers, got 1"));
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(0));
        Assert.That(Driver.BufferCount, Is.EqualTo(0));
    }

    [Test]
    public void CountsFramesTheDriverDroppedFromSequenceGaps()
    {
        using var queue = new BufferQueue(Device, CaptureType, 2);
        queue.Start();
        Driver.Feed(new byte[] { 1 }, 1);
        Driver.Feed(new byte[] { 2 }, 2);
        Driver.Feed(new byte[] { 3 }, 3); // no buffer queued: lost, the sequence moves on
        var receiver = new RecordingReceiver();
        queue.Drain(receiver);
        Driver.Feed(new byte[] { 4 }, 4);
        queue.Drain(receiver);
        Assert.That(receiver.Frames.ConvertAll(f => f.Sequence), Is.EqualTo(new[] { 0u, 1u, 3u }));
        Assert.That(queue.DroppedFrames, Is.EqualTo(1));
    }

    [Test]
    public void WorksWithoutExpbuf()
    {
        Driver.SupportsExpbuf = false;
        using var queue = new BufferQueue(Device, CaptureType, 4);
        Assert.That(queue.DmabufFd(0), Is.EqualTo(-1));
        queue.Start();
        Driver.Feed(new byte[] { 9 }, 1);
        Assert.That(queue.Drain(new RecordingReceiver()), Is.EqualTo(1));
    }

    [Test]
    public void MultiPlanarQueueDeliversPlaneZero()
    {
        Device.Dispose();
        Driver.DeviceCaps = V4L2_CAP_VIDEO_CAPTURE_MPLANE | V4L2_CAP_STREAMING;
        Device = VideoDevice.Open(Driver, Driver.Path);
        Assert.That(Device.RequireCapture(), Is.EqualTo(V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE));
        var format = Device.SetFormat(V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, 1280, 720, V4L2_PIX_FMT_H264);
        Assert.That(format.SizeImage, Is.EqualTo((uint)Driver.BufferSize));
        using var queue = new BufferQueue(Device, V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE, 4);
        queue.Start();
        Driver.Feed(new byte[] { 0, 0, 1, 0x65 }, 42, index: 1);
        var receiver = new RecordingReceiver();
        Assert.That(queue.Drain(receiver), Is.EqualTo(1));
        Assert.That(receiver.Frames[0].Data, Is.EqualTo(new byte[] { 0, 0, 1, 0x65 }));
        Assert.That(receiver.Frames[0].Index, Is.EqualTo(1));
    }

    [Test]
    public void StopInsideTheCallbackLeavesTheBufferDequeued()
    {
        var queue = new BufferQueue(Device, CaptureType, 4);
        queue.Start();
        Driver.Feed(new byte[] { 1 }, 1);
        Driver.Feed(new byte[] { 2 }, 2);
        var receiver = new StoppingReceiver(queue);
        Assert.That(queue.Drain(receiver), Is.EqualTo(1));
        queue.Dispose();
        Assert.That(Driver.LiveMappingCount, Is.EqualTo(0));
    }

    private sealed class StoppingReceiver(BufferQueue queue) : IFrameReceiver
    {
        public void OnFrame(in CapturedFrame frame) => queue.Stop();
    }
}
