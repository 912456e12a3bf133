using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>Base for tests that need the simulated driver's device open as a <see cref="VideoDevice"/>.</summary>
public abstract class SimulatedDeviceTest : SimulatedDriverTest
{
    /// <summary>Settable so a test can reopen the device after changing the driver; the one set last is closed.</summary>
    protected VideoDevice Device { get; set; } = null!;

    // Runs after the base SetUp (the driver exists); the TearDown before the base one (the driver outlives it).
    [SetUp]
    public void OpenDevice() => Device = VideoDevice.Open(Driver, Driver.Path);

    [TearDown]
    public void CloseDevice() => Device.Dispose();
}
