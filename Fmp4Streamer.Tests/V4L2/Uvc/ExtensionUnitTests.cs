using Fmp4Streamer.Tests.V4L2.Simulated;
using Fmp4Streamer.V4L2;
using Fmp4Streamer.V4L2.Uvc;
using static Fmp4Streamer.Linux.Native.uvcvideo;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>UVCIOC_CTRL_QUERY through the seam: GET_LEN first, its size clamped to the caller's buffer (compatibility §7).</summary>
public class ExtensionUnitTests
{
    private SimulatedUvcDriver _uvc = null!;
    private VideoDevice _device = null!;
    private ExtensionUnit _unit = null!;

    [SetUp]
    public void SetUp()
    {
        _uvc = new SimulatedUvcDriver(new SimulatedV4l2Driver());
        _uvc.AddH264Unit();
        _device = VideoDevice.Open(_uvc, _uvc.Inner.Path);
        _unit = new ExtensionUnit(_device, SimulatedUvcDriver.H264Unit);
    }

    [TearDown]
    public void TearDown()
    {
        _device.Dispose();
        _uvc.Dispose();
    }

    [Test]
    public void LengthAndInfo()
    {
        Assert.That(_unit.QueryLength(UvcH264Extension.VideoConfigProbe, out int length), Is.EqualTo(0));
        Assert.That(length, Is.EqualTo(46));
        _uvc.Control(SimulatedUvcDriver.H264Unit, UvcH264Extension.VideoConfigProbe).Info = 0x01;
        Assert.That(_unit.QueryInfo(UvcH264Extension.VideoConfigProbe, out byte info), Is.EqualTo(0));
        Assert.That(info, Is.EqualTo(0x01));
    }

    [Test]
    public void ABiggerBufferReceivesExactlyTheControlsLength()
    {
        byte[] buffer = Enumerable.Repeat((byte)0xAA, 60).ToArray();
        Assert.That(_unit.Query(UvcH264Extension.VideoConfigProbe, UVC_GET_DEF, buffer, out int sent), Is.EqualTo(0));
        Assert.That(sent, Is.EqualTo(46));
        Assert.That(buffer[12..14], Is.EqualTo(new byte[] { 0x80, 0x07 }), "wWidth 1920");
        Assert.That(buffer[46..].All(b => b == 0xAA), Is.True, "nothing written past the control");
    }

    [Test]
    public void ASmallerBufferClampsTheSizeAndTheDriverRefusesIt()
    {
        byte[] buffer = Enumerable.Repeat((byte)0xAA, 60).ToArray();
        int err = _unit.Query(UvcH264Extension.VideoConfigProbe, UVC_GET_CUR, buffer.AsSpan(0, 10), out int sent);
        Assert.That((err, sent), Is.EqualTo((LibC.ENOBUFS, 10)));
        Assert.That(buffer.All(b => b == 0xAA), Is.True);
    }

    [TestCase((byte)7, TestName = "unknown selector")]
    public void UnknownControlsAreENOENT(byte selector)
    {
        Assert.That(_unit.Query(selector, UVC_GET_CUR, new byte[4], out _), Is.EqualTo(LibC.ENOENT));
        Assert.That(new ExtensionUnit(_device, 3).QueryLength(1, out _), Is.EqualTo(LibC.ENOENT), "unknown unit");
    }

    [Test]
    public void QueryOrThrowNamesTheQuery()
    {
        _uvc.Control(SimulatedUvcDriver.H264Unit, UvcH264Extension.VideoConfigProbe).Fail[UVC_GET_MAX] = LibC.EPIPE;
        var e = Assert.Throws<Fmp4Streamer.Linux.LinuxException>(() => _unit.QueryOrThrow(UvcH264Extension.VideoConfigProbe, UVC_GET_MAX, new byte[46]))!;
        Assert.That(e.Message, Does.StartWith("UVCIOC_CTRL_QUERY (GET_MAX unit 12 selector 1) /dev/video-sim: EPIPE"));
    }
}
