using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using Fmp4Streamer.V4L2;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Interop;

/// <summary>The production seam against the real kernel, on nodes every machine has.</summary>
public unsafe class LibcIoTests
{
    [Test]
    public void OpensThroughASymlinkAndAnswersIoctlsWithErrno()
    {
        string dir = Directory.CreateTempSubdirectory("fmp4-libcio-").FullName;
        try
        {
            string link = Path.Combine(dir, "by-id-camera");
            File.CreateSymbolicLink(link, "/dev/null");
            Assert.That(LibcIo.Instance.Open(link, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC, out int fd), Is.EqualTo(0));
            v4l2_capability cap = default;
            Assert.That(LibcIo.Instance.Ioctl(fd, videodev2.VIDIOC_QUERYCAP, &cap), Is.EqualTo(LibC.ENOTTY));
            Assert.That(LibcIo.Instance.Close(fd), Is.EqualTo(0));
            Assert.That(LibcIo.Instance.Close(fd), Is.EqualTo(LibC.EBADF));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void MissingDeviceIsEnoentThroughVideoDevice()
    {
        var e = Assert.Throws<LinuxException>(() => VideoDevice.Open(LibcIo.Instance, "/dev/fmp4streamer-no-such-video"));
        Assert.That(e!.Errno, Is.EqualTo(LibC.ENOENT));
    }

    [Test]
    public void MapsAndUnmaps()
    {
        Assert.That(LibcIo.Instance.Open("/dev/zero", LibC.O_RDWR, out int fd), Is.EqualTo(0));
        Assert.That(LibcIo.Instance.Mmap(fd, 4096, 0x1 | 0x2, 0x02 /* MAP_PRIVATE */, 0, out void* address), Is.EqualTo(0));
        ((byte*)address)[10] = 7;
        Assert.That(((byte*)address)[10], Is.EqualTo(7));
        Assert.That(LibcIo.Instance.Munmap(address, 4096), Is.EqualTo(0));
        Assert.That(LibcIo.Instance.Mmap(fd, 4096, 0x1, 0x01, 1, out _), Is.EqualTo(LibC.EINVAL), "unaligned offset");
        LibcIo.Instance.Close(fd);
    }
}
