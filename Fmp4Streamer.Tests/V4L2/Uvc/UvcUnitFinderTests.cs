using Fmp4Streamer.V4L2.Uvc;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>Extension unit ids from USB descriptors in a sysfs tree built by the test (compatibility §7).</summary>
public class UvcUnitFinderTests
{
    [TestCase(FakeSysfs.ByIdPath, TestName = "through the by-id symlink")]
    [TestCase("/dev/video0", TestName = "through the node")]
    public void FindsBothUnitsOfAC920(string devicePath)
    {
        using var sysfs = new FakeSysfs(FakeSysfs.C920());
        var warnings = new List<string>();
        var ids = UvcUnitFinder.Find(devicePath, sysfs.Root, warnings);
        Assert.That(ids, Is.EqualTo(new UvcUnitIds(H264: 12, LogitechPeripheral: 11)));
        Assert.That(warnings, Is.Empty);
        Assert.That(UvcUnitFinder.DescriptorsPath(devicePath, sysfs.Root), Is.EqualTo(sysfs.DescriptorsFile),
            "links resolved before `..`, not the decoy /sys/descriptors");
    }

    [Test]
    public void CameraWithoutExtensionUnitsHasNone()
    {
        using var sysfs = new FakeSysfs(FakeSysfs.DeviceAndConfig(FakeSysfs.VideoControl()));
        Assert.That(UvcUnitFinder.Find(FakeSysfs.ByIdPath, sysfs.Root), Is.EqualTo(UvcUnitIds.None));
    }

    [TestCase("/dev/video7", TestName = "node unknown to sysfs")]
    [TestCase("/dev/v4l/by-id/missing", TestName = "missing link")]
    public void NodesWithoutUsbDescriptorsHaveNone(string devicePath)
    {
        using var sysfs = new FakeSysfs(FakeSysfs.C920());
        Assert.That(UvcUnitFinder.Find(devicePath, sysfs.Root), Is.EqualTo(UvcUnitIds.None));
    }

    [Test]
    public void AGuidOutsideAVideoControlExtensionUnitIsIgnored()
    {
        // Only the audio decoy carries the H.264 GUID; the VideoControl interface has just the LED unit.
        byte[] audioDecoy = [20, 0x24, 0x06, 0x63, .. UvcGuids.H264.ToArray()];
        byte[] d = FakeSysfs.DeviceAndConfig([9, 0x04, 2, 0, 0, 0x01, 0x01, 0, 0], audioDecoy,
            FakeSysfs.VideoControl(FakeSysfs.Xu(11, UvcGuids.LogitechPeripheral.ToArray())));
        Assert.That(UvcUnitFinder.FromDescriptors(d), Is.EqualTo(new UvcUnitIds(0, 11)));
    }

    [Test]
    public void TruncatedOrGarbageDescriptorsNeverThrow()
    {
        byte[] c920 = FakeSysfs.C920();
        int h264At = c920.AsSpan().IndexOf(FakeSysfs.Xu(12, UvcGuids.H264.ToArray()));
        Assert.That(UvcUnitFinder.FromDescriptors(c920.AsSpan(0, h264At + 10)), Is.EqualTo(new UvcUnitIds(0, 11)), "cut inside the H.264 unit");
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            byte[] copy = (byte[])c920.Clone();
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
            UvcUnitFinder.FromDescriptors(copy.AsSpan(0, random.Next(copy.Length + 1)));
        }
    }

    [Test]
    public void ADirectoryWhereTheDescriptorsShouldBeMeansNone()
    {
        using var sysfs = new FakeSysfs(FakeSysfs.C920());
        File.Delete(sysfs.DescriptorsFile);
        Directory.CreateDirectory(sysfs.DescriptorsFile);
        Assert.That(UvcUnitFinder.Find("/dev/video0", sysfs.Root), Is.EqualTo(UvcUnitIds.None));
    }
}
