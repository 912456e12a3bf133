using System.Runtime.InteropServices;
using System.Text;

namespace Fmp4Streamer.Access;

/// <summary>
/// Outcomes of bcrypt checks, so a player's every request does not cost tens of milliseconds: keyed by an HMAC of
/// "user:password" under a key drawn at start (the password itself is never kept). Right answers live for
/// <see cref="GoodLifetimeUs"/>, wrong ones briefly; emptied when the users are replaced.
/// </summary>
public sealed class CredentialCache
{
    public const long GoodLifetimeUs = 15 * 60 * 1_000_000L;
    public const long WrongLifetimeUs = 60 * 1_000_000L;
    private const int MaxEntries = 4096;

    private readonly HmacSha256 _hmac;
    private readonly Dictionary<Key, Entry> _entries = new();

    [StructLayout(LayoutKind.Sequential)]
    public readonly record struct Key(ulong A, ulong B, ulong C, ulong D);

    private readonly record struct Entry(bool Good, long ExpiresUs);

    public CredentialCache(ReadOnlySpan<byte> key) => _hmac = new HmacSha256(key);

    public int Count => _entries.Count;

    public Key KeyOf(string user, ReadOnlySpan<byte> password)
    {
        Span<byte> mac = stackalloc byte[Sha256.HashBytes];
        _hmac.Compute(Encoding.UTF8.GetBytes(user + ":"), password, mac);
        return MemoryMarshal.Read<Key>(mac);
    }

    /// <summary>True with the outcome when a check of these credentials is remembered and fresh.</summary>
    public bool TryGet(in Key key, long nowUs, out bool good)
    {
        good = false;
        if (!_entries.TryGetValue(key, out var entry)) return false;
        if (entry.ExpiresUs <= nowUs)
        {
            _entries.Remove(key);
            return false;
        }
        good = entry.Good;
        return true;
    }

    public void Add(in Key key, bool good, long nowUs)
    {
        if (_entries.Count >= MaxEntries) Prune(nowUs);
        _entries[key] = new Entry(good, nowUs + (good ? GoodLifetimeUs : WrongLifetimeUs));
    }

    public void Clear() => _entries.Clear();

    private void Prune(long nowUs)
    {
        var expired = new List<Key>();
        foreach (var (key, entry) in _entries)
            if (entry.ExpiresUs <= nowUs) expired.Add(key);
        foreach (var key in expired) _entries.Remove(key);
        // Still full (a flood of distinct guesses): forget everything rather than grow; right answers are checked again.
        if (_entries.Count >= MaxEntries) _entries.Clear();
    }
}
