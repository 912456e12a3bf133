using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd;

/// <summary>The cross-built Raspberry Pi binary runs (under qemu-user here) and serves a decodable stream.</summary>
[Category("EndToEnd")]
public class Arm64Tests
{
    [Test]
    public void Arm64BinaryServesTheTestPattern()
    {
        const string qemu = "/usr/bin/qemu-aarch64-static";
        if (!File.Exists(qemu)) Assert.Fail("qemu-aarch64-static is missing: apt-get install qemu-user-static (make test does)");
        using var daemon = DaemonProcess.StartWith(qemu, new[] { "-L", "/usr/aarch64-linux-gnu", Repository.Arm64Binary },
            null, "--test-pattern");
        var (result, frames) = ToolRun.FfmpegDecode(daemon.BaseUrl + "/stream.mp4", 60, TimeSpan.FromSeconds(60));
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr + daemon.Log);
        Assert.That(frames, Is.GreaterThanOrEqualTo(60));
        Assert.That(daemon.Stop(), Is.EqualTo(0), daemon.Log);
    }
}
