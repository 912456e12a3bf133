using System.Net;
using Fmp4Streamer.Access;

namespace Fmp4Streamer.Tests.Access;

public class LoginThrottleTests
{
    private static readonly IPAddress A = IPAddress.Parse("192.0.2.1");
    private static readonly IPAddress B = IPAddress.Parse("192.0.2.2");

    [Test]
    public void EachWrongPasswordDoublesTheDelayUpToTheCeiling()
    {
        var throttle = new LoginThrottle();
        long now = 1_000_000_000;
        var delays = new List<long>();
        for (int i = 0; i < 10; i++) delays.Add(throttle.Fail(A, now += 1000));
        Assert.That(delays, Is.EqualTo(new long[] { 500_000, 1_000_000, 2_000_000, 4_000_000, 8_000_000, 16_000_000, 30_000_000, 30_000_000, 30_000_000, 30_000_000 }));
        Assert.That(throttle.DelayUs(B, now), Is.Zero, "another address is not slowed");
        Assert.That(throttle.NextCheckUs(A, now), Is.EqualTo(now + 30_000_000));
    }

    [Test]
    public void ARightPasswordOrQuietTimeForgets()
    {
        var throttle = new LoginThrottle();
        long now = 1_000_000_000;
        throttle.Fail(A, now);
        throttle.Fail(A, now);
        throttle.Succeed(A);
        Assert.That(throttle.Fail(A, now), Is.EqualTo(500_000));
        now += LoginThrottle.ForgetAfterUs;
        Assert.That(throttle.DelayUs(A, now), Is.Zero);
        Assert.That(throttle.Fail(A, now), Is.EqualTo(500_000));
    }
}
