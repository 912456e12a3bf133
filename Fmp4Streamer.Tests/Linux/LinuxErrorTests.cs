using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Tests.Linux;

public class LinuxErrorTests
{
    [TestCase(24, "EMFILE", TestName = "fd exhaustion of the process")]
    [TestCase(23, "ENFILE", TestName = "fd exhaustion of the system")]
    [TestCase(19, "ENODEV")]
    [TestCase(103, "ECONNABORTED")]
    [TestCase(4095, "errno 4095", TestName = "an unknown number stays a number")]
    public void ErrnoNames(int errno, string name) => Assert.That(LinuxError.Name(errno), Is.EqualTo(name));
}
