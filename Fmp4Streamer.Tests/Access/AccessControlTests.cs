using System.Diagnostics;
using System.Net;
using System.Text;
using Fmp4Streamer.Access;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Access;

public class AccessControlTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.10");

    private sealed class Waiter : IAccessWaiter
    {
        public int Calls;
        public void OnAccessReady() => Calls++;
    }

    private static (EventLoop Loop, ManualClock Clock, AccessControl Access) Create(int cost = 10)
    {
        var clock = new ManualClock();
        var loop = new EventLoop(clock);
        string hash = Bcrypt.Hash("right"u8, new byte[16], cost);
        var users = HtpasswdFile.Parse("u", "alice:" + hash + "\n");
        return (loop, clock, new AccessControl(loop, new AccessOptions { Users = users, Admins = ["alice"] }));
    }

    private static byte[] Header(string user, string password) =>
        Encoding.ASCII.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    /// <summary>Runs the loop until the waiter is told (the worker's result posted back).</summary>
    private static void RunUntil(EventLoop loop, Waiter waiter, int calls = 1)
    {
        var watch = Stopwatch.StartNew();
        while (waiter.Calls < calls && watch.Elapsed < TimeSpan.FromSeconds(60)) loop.RunOnce(100);
        Assert.That(waiter.Calls, Is.EqualTo(calls), "the check's result came back to the loop");
    }

    [Test]
    public void APasswordIsCheckedOffTheLoopOnceThenRemembered()
    {
        var (loop, _, access) = Create();
        using var _loop = loop;
        using var _access = access;
        // Warm up (code, the worker thread) with another client's wrong password.
        var warm = new Waiter();
        access.CheckBasic(IPAddress.Parse("192.0.2.99"), Header("alice", "warm"), warm, out _, out _);
        RunUntil(loop, warm);
        var waiter = new Waiter();
        var watch = Stopwatch.StartNew();
        Assert.That(access.CheckBasic(Client, Header("alice", "right"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Wait));
        double callMs = watch.Elapsed.TotalMilliseconds;
        Assert.That(waiter.Calls, Is.Zero, "the answer comes later, through the loop, not within the call");
        RunUntil(loop, waiter);
        TestContext.Out.WriteLine($"CheckBasic returned after {callMs:F2} ms; the cost-10 check came back after {watch.Elapsed.TotalMilliseconds:F0} ms");
        Assert.That(access.CheckBasic(Client, Header("alice", "right"), waiter, out string? user, out _), Is.EqualTo(AccessOutcome.Allowed));
        Assert.That(user, Is.EqualTo("alice"));
        Assert.That(access.ChecksStarted, Is.EqualTo(2), "the second request was answered from the cache");
    }

    [Test]
    public void WrongPasswordsAreSlowedOnTheLoopsClock()
    {
        var (loop, clock, access) = Create(cost: 4);
        using var _loop = loop;
        using var _access = access;
        var waiter = new Waiter();
        Assert.That(access.CheckBasic(Client, Header("alice", "wrong1"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Wait));
        RunUntil(loop, waiter);
        Assert.That(access.CheckBasic(Client, Header("alice", "wrong1"), waiter, out _, out long delay), Is.EqualTo(AccessOutcome.Wrong));
        Assert.That(delay, Is.EqualTo(500_000));
        // The next guess from that address waits its turn before it is even checked; another address does not.
        Assert.That(access.CheckBasic(Client, Header("alice", "wrong2"), waiter, out _, out delay), Is.EqualTo(AccessOutcome.Wait));
        Assert.That(delay, Is.EqualTo(500_000));
        Assert.That(access.ChecksStarted, Is.EqualTo(1));
        var other = IPAddress.Parse("192.0.2.11");
        Assert.That(access.CheckBasic(other, Header("alice", "wrong2"), new Waiter(), out _, out delay), Is.EqualTo(AccessOutcome.Wait));
        Assert.That(delay, Is.Zero);
        Assert.That(access.ChecksStarted, Is.EqualTo(2));
        clock.Advance(500_000);
        Assert.That(access.CheckBasic(Client, Header("alice", "wrong3"), waiter, out _, out delay), Is.EqualTo(AccessOutcome.Wait));
        Assert.That(delay, Is.Zero, "its turn came");
        RunUntil(loop, waiter, 2);
        Assert.That(access.CheckBasic(Client, Header("alice", "wrong3"), waiter, out _, out delay), Is.EqualTo(AccessOutcome.Wrong));
        Assert.That(delay, Is.EqualTo(1_000_000), "the second wrong password in a row waits twice as long");
    }

    [Test]
    public void UnknownUsersCostACheckAndFail()
    {
        var (loop, _, access) = Create(cost: 4);
        using var _loop = loop;
        using var _access = access;
        var waiter = new Waiter();
        Assert.That(access.CheckBasic(Client, Header("mallory", "right"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Wait));
        RunUntil(loop, waiter);
        Assert.That(access.CheckBasic(Client, Header("mallory", "right"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Wrong));
        Assert.That(access.CheckBasic(Client, Encoding.ASCII.GetBytes("Bearer x"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Challenge));
    }

    [Test]
    public void ReplacedUsersForgetRememberedPasswords()
    {
        var (loop, _, access) = Create(cost: 4);
        using var _loop = loop;
        using var _access = access;
        var waiter = new Waiter();
        access.CheckBasic(Client, Header("alice", "right"), waiter, out _, out _);
        RunUntil(loop, waiter);
        Assert.That(access.CheckBasic(Client, Header("alice", "right"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Allowed));
        access.ReplaceUsers(HtpasswdFile.Parse("u", "bob:" + Bcrypt.Hash("b"u8, new byte[16], 4) + "\n"));
        Assert.That(access.CheckBasic(Client, Header("alice", "right"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Wait));
        RunUntil(loop, waiter, 2);
        Assert.That(access.CheckBasic(Client, Header("alice", "right"), waiter, out _, out _), Is.EqualTo(AccessOutcome.Wrong));
    }
}
