using Fmp4Streamer.Linux.Native;
using Fmp4Streamer.V4L2;
using static Fmp4Streamer.Linux.Native.videodev2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>The simulated driver keeps the vb2 queue rules the production code must live with.</summary>
public unsafe class SimulatedV4l2DriverTests : SimulatedDeviceTest
{
    private int RequestBuffers(uint count)
    {
        v4l2_requestbuffers req = default;
        req.count = count;
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        Assert.That(Device.Ioctl(VIDIOC_REQBUFS, &req), Is.EqualTo(0));
        return (int)req.count;
    }

    private int Qbuf(uint index)
    {
        v4l2_buffer b = default;
        b.index = index;
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        return Device.Ioctl(VIDIOC_QBUF, &b);
    }

    private int Dqbuf(out v4l2_buffer b)
    {
        b = default;
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        fixed (v4l2_buffer* p = &b) return Device.Ioctl(VIDIOC_DQBUF, p);
    }

    private int StreamOn()
    {
        int type = (int)V4L2_BUF_TYPE_VIDEO_CAPTURE;
        return Device.Ioctl(VIDIOC_STREAMON, &type);
    }

    [Test]
    public void QueueingAQueuedBufferIsEinval()
    {
        RequestBuffers(4);
        Assert.That(Qbuf(1), Is.EqualTo(0));
        Assert.That(Qbuf(1), Is.EqualTo(LibC.EINVAL));
    }

    [Test]
    public void DequeueBeforeStreamOnIsEinval()
    {
        RequestBuffers(4);
        Qbuf(0);
        Assert.That(Dqbuf(out _), Is.EqualTo(LibC.EINVAL));
    }

    [Test]
    public void DequeueWithNothingDoneIsEagain()
    {
        RequestBuffers(4);
        Qbuf(0);
        Assert.That(StreamOn(), Is.EqualTo(0));
        Assert.That(Dqbuf(out _), Is.EqualTo(LibC.EAGAIN));
    }

    [Test]
    public void BuffersCompleteInTheOrderTheDriverChooses()
    {
        RequestBuffers(4);
        for (uint i = 0; i < 4; i++) Qbuf(i);
        StreamOn();
        Driver.Feed(new byte[] { 1 }, 10, index: 2);
        Driver.Feed(new byte[] { 2 }, 20, index: 0);
        Assert.That(Dqbuf(out var first), Is.EqualTo(0));
        Assert.That(Dqbuf(out var second), Is.EqualTo(0));
        Assert.That((first.index, first.bytesused, first.timestamp.tv_usec), Is.EqualTo((2u, 1u, 10L)));
        Assert.That((second.index, second.timestamp.tv_usec), Is.EqualTo((0u, 20L)));
        Assert.That(Qbuf(2), Is.EqualTo(0), "a dequeued buffer belongs to the application again");
    }

    [Test]
    public void RequestingBuffersWhileMappedIsEbusy()
    {
        RequestBuffers(2);
        v4l2_buffer b = default;
        b.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        b.memory = V4L2_MEMORY_MMAP;
        Assert.That(Device.Ioctl(VIDIOC_QUERYBUF, &b), Is.EqualTo(0));
        Assert.That(Driver.Mmap(Device.Fd, b.length, 3, 1, b.m.offset, out void* address), Is.EqualTo(0));
        v4l2_requestbuffers req = default;
        req.type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
        req.memory = V4L2_MEMORY_MMAP;
        Assert.That(Device.Ioctl(VIDIOC_REQBUFS, &req), Is.EqualTo(LibC.EBUSY));
        Driver.Munmap(address, b.length);
        Assert.That(Device.Ioctl(VIDIOC_REQBUFS, &req), Is.EqualTo(0));
    }

    [Test]
    public void UnpluggedDeviceAnswersEnodevAndRefusesOpen()
    {
        Driver.Unplug();
        v4l2_capability cap = default;
        Assert.That(Device.Ioctl(VIDIOC_QUERYCAP, &cap), Is.EqualTo(LibC.ENODEV));
        Assert.That(Driver.Open(Driver.Path, LibC.O_RDWR | LibC.O_NONBLOCK, out _), Is.EqualTo(LibC.ENOENT));
    }
}
