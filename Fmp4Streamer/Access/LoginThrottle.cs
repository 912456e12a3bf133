using System.Net;

namespace Fmp4Streamer.Access;

/// <summary>
/// Slows password guessing per client address: after the n-th wrong password in a row the answer (and the next
/// check) waits <see cref="BaseDelayUs"/> * 2^(n-1), at most <see cref="MaxDelayUs"/>. A right password or
/// <see cref="ForgetAfterUs"/> without a wrong one clears the address. Time comes from the caller's clock.
/// </summary>
public sealed class LoginThrottle
{
    public const long BaseDelayUs = 500_000;
    public const long MaxDelayUs = 30_000_000;
    public const long ForgetAfterUs = 15 * 60 * 1_000_000L;
    private const int MaxAddresses = 4096;

    private readonly Dictionary<IPAddress, State> _addresses = new();

    private record struct State(int Failures, long LastFailureUs);

    public int Count => _addresses.Count;

    /// <summary>Wrong passwords in a row from <paramref name="address"/> that still count.</summary>
    public int Failures(IPAddress address, long nowUs) =>
        _addresses.TryGetValue(address, out var state) && nowUs - state.LastFailureUs < ForgetAfterUs ? state.Failures : 0;

    /// <summary>How long an answer to <paramref name="address"/> waits now (0 when it has no recent failures).</summary>
    public long DelayUs(IPAddress address, long nowUs)
    {
        int failures = Failures(address, nowUs);
        if (failures == 0) return 0;
        int doublings = Math.Min(failures - 1, 20);
        return Math.Min(BaseDelayUs << doublings, MaxDelayUs);
    }

    /// <summary>When the next password from <paramref name="address"/> may be checked (its last wrong one plus the delay).</summary>
    public long NextCheckUs(IPAddress address, long nowUs) =>
        _addresses.TryGetValue(address, out var state) && nowUs - state.LastFailureUs < ForgetAfterUs
            ? state.LastFailureUs + DelayUs(address, nowUs) : 0;

    /// <summary>Counts a wrong password; returns the delay before its 401.</summary>
    public long Fail(IPAddress address, long nowUs)
    {
        int failures = Failures(address, nowUs) + 1;
        if (_addresses.Count >= MaxAddresses && !_addresses.ContainsKey(address)) Prune(nowUs);
        _addresses[address] = new State(failures, nowUs);
        return DelayUs(address, nowUs);
    }

    public void Succeed(IPAddress address) => _addresses.Remove(address);

    private void Prune(long nowUs)
    {
        var old = new List<IPAddress>();
        foreach (var (address, state) in _addresses)
            if (nowUs - state.LastFailureUs >= ForgetAfterUs) old.Add(address);
        foreach (var address in old) _addresses.Remove(address);
        // A flood from very many addresses: keep the memory bounded, they start again from one short delay.
        if (_addresses.Count >= MaxAddresses) _addresses.Clear();
    }
}
