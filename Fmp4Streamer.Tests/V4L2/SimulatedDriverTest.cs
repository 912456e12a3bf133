using Fmp4Streamer.Tests.V4L2.Simulated;

namespace Fmp4Streamer.Tests.V4L2;

/// <summary>Base for tests that need a fresh <see cref="SimulatedV4l2Driver"/> per test, disposed after it.</summary>
public abstract class SimulatedDriverTest
{
    protected SimulatedV4l2Driver Driver { get; private set; } = null!;

    [SetUp]
    public void CreateDriver() => Driver = new SimulatedV4l2Driver();

    // NUnit runs a derived class's TearDown first, so whatever the test built on the driver is gone by now.
    [TearDown]
    public void DisposeDriver() => Driver.Dispose();
}
