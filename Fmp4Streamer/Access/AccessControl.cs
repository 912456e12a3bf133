using System.Net;
using System.Security.Cryptography;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Access;

/// <summary>
/// Who may watch, for HTTP and RTSP alike: users from the htpasswd file, networks that need none, the login cookie,
/// the cache of checked passwords, and the slowing of wrong ones per client address. Lives on the loop thread;
/// bcrypt runs on <see cref="BcryptWorker"/> and its result comes back through <see cref="EventLoop.Post"/>, so a
/// login never stalls other clients. A request whose password is not in the cache waits (<see cref="AccessOutcome.Wait"/>)
/// and is tried again when its check is done; by then the cache answers.
/// </summary>
public sealed class AccessControl : IDisposable
{
    private const string Component = "access";
    private const int WrongPasswordLog = 0;
    private const int UnknownUserLog = 1;

    private readonly EventLoop _loop;
    private readonly BcryptWorker _worker = new();
    private readonly CredentialCache _cache;
    private readonly LogRateLimiter _log = new(2);
    private readonly Dictionary<CredentialCache.Key, Check> _checking = new();
    private readonly Dictionary<IPAddress, Check> _checkingFrom = new();
    private HashSet<string> _admins;
    private Bcrypt.Parsed _decoy;
    private bool _warnedForwardedLoopback;

    /// <summary>One bcrypt check in flight and the requests waiting for it.</summary>
    private sealed class Check(CredentialCache.Key key, IPAddress client)
    {
        public readonly CredentialCache.Key Key = key;
        public readonly IPAddress Client = client;
        public readonly List<IAccessWaiter> Waiters = new();
    }

    public AccessControl(EventLoop loop, AccessOptions options)
    {
        _loop = loop;
        Options = options;
        Users = options.Users;
        _admins = new HashSet<string>(options.Admins, StringComparer.Ordinal);
        Span<byte> key = stackalloc byte[32];
        Linux.SecureRandom.Fill(key);
        _cache = new CredentialCache(key);
        key.Clear();
        Cookie = SessionCookie.WithRandomKey(options.CookieName, options.CookieLifetimeSeconds);
        _decoy = Decoy(Users);
    }

    public AccessOptions Options { get; private set; }

    /// <summary>The current users; null when no htpasswd file is configured.</summary>
    public UserTable? Users { get; private set; }

    public SessionCookie Cookie { get; }

    public LoginThrottle Throttle { get; } = new();

    /// <summary>bcrypt checks started (tests and /metrics).</summary>
    public long ChecksStarted { get; private set; }

    /// <summary>Wrong passwords and unknown users seen.</summary>
    public long Failures { get; private set; }

    /// <summary>
    /// Takes new users (and admins) on reload: remembered passwords are forgotten, and cookies of removed users or
    /// changed passwords stop working (they are signed over the user's salt).
    /// </summary>
    public void ReplaceUsers(UserTable? users, IReadOnlyList<string>? admins = null)
    {
        Users = users;
        if (admins is not null) _admins = new HashSet<string>(admins, StringComparer.Ordinal);
        _cache.Clear();
        _decoy = Decoy(users);
        Log.Info(Component, users is null ? "no users: every client may watch" : users.Count + " users from " + users.Source);
    }

    /// <summary>Takes every access key of a reloaded config (users, auth_exempt, admins, trusted_proxies); the cookie's name and key stay.</summary>
    public void Replace(AccessOptions options)
    {
        Options = options with { CookieName = Options.CookieName, CookieLifetimeSeconds = Options.CookieLifetimeSeconds };
        _warnedForwardedLoopback = false;
        ReplaceUsers(options.Users, options.Admins);
    }

    /// <summary>The client of a request: the peer, or behind a trusted proxy the address it forwarded.</summary>
    public IPAddress ClientOf(IPAddress peer, ReadOnlySpan<byte> head) => ForwardedChain.Resolve(peer, Options.TrustedProxies, head);

    /// <summary>Whether the client needs no user.</summary>
    public bool IsExempt(IPAddress client) => Options.Exempt.Contains(client);

    public bool IsAdmin(string? user) => user is not null && _admins.Contains(user);

    /// <summary>What a request's credentials decide; <paramref name="user"/> is set when allowed with a user.</summary>
    public AccessOutcome CheckBasic(IPAddress client, ReadOnlySpan<byte> authorization, IAccessWaiter waiter, out string? user, out long delayUs)
    {
        user = null;
        delayUs = 0;
        var users = Users;
        if (users is null) return AccessOutcome.Allowed;
        if (!BasicCredentials.TryParse(authorization, out string name, out byte[] password)) return AccessOutcome.Challenge;
        long now = _loop.NowUs;
        var key = _cache.KeyOf(name, password);
        if (_cache.TryGet(key, now, out bool good))
        {
            Array.Clear(password);
            if (good)
            {
                Throttle.Succeed(client);
                user = name;
                return AccessOutcome.Allowed;
            }
            delayUs = Fail(client, name, users.Contains(name), now);
            return AccessOutcome.Wrong;
        }
        // Not checked yet: after recent wrong passwords from this address the next check waits its turn.
        long notBefore = Throttle.NextCheckUs(client, now);
        if (notBefore > now)
        {
            Array.Clear(password);
            delayUs = notBefore - now;
            return AccessOutcome.Wait;
        }
        // One check per address at a time: parallel guesses queue behind it; the same credentials share it.
        if (_checking.TryGetValue(key, out var running) || _checkingFrom.TryGetValue(client, out running))
        {
            Array.Clear(password);
            running.Waiters.Add(waiter);
            return AccessOutcome.Wait;
        }
        var check = new Check(key, client);
        check.Waiters.Add(waiter);
        _checking.Add(key, check);
        _checkingFrom[client] = check;
        ChecksStarted++;
        // Unknown users cost a check too (against a decoy hash), so timing does not tell which names exist.
        var hash = users.TryGet(name, out var stored) ? stored : _decoy;
        bool known = users.Contains(name);
        _worker.Enqueue(password, hash, ok => _loop.Post(() => Finish(check, ok && known)));
        return AccessOutcome.Wait;
    }

    /// <summary>The user of a valid login cookie in a Cookie header, or null.</summary>
    public string? CookieUser(ReadOnlySpan<byte> cookieHeader) =>
        Users is null ? null : Cookie.VerifyHeader(cookieHeader, _loop.NowUs, Users);

    /// <summary>A fresh login cookie for <paramref name="user"/> (the Set-Cookie value).</summary>
    public string? IssueCookie(string user, bool secure)
    {
        if (Users is null || !Users.TryGet(user, out var hash)) return null;
        return Cookie.SetCookieValue(Cookie.Issue(user, hash.Salt, _loop.NowUs), secure);
    }

    /// <summary>
    /// Once: a request came with X-Forwarded-For from a loopback peer that is not a trusted proxy while loopback is
    /// exempt. Every client of that proxy then enters without a password.
    /// </summary>
    public void NoteUntrustedForwarding(IPAddress peer)
    {
        if (_warnedForwardedLoopback || Users is null || !IPAddress.IsLoopback(peer) || !Options.Exempt.Contains(peer)) return;
        _warnedForwardedLoopback = true;
        Log.Warning(Component, "a request from " + peer + " carried X-Forwarded-For, but " + peer + " is not in trusted_proxies: "
            + "every client of that proxy counts as " + peer + ", which auth_exempt lets in without a password. "
            + "Add the proxy to trusted_proxies (or remove loopback from auth_exempt)");
    }

    private void Finish(Check check, bool good)
    {
        _checking.Remove(check.Key);
        if (_checkingFrom.TryGetValue(check.Client, out var current) && current == check) _checkingFrom.Remove(check.Client);
        _cache.Add(check.Key, good, _loop.NowUs);
        // Every waiter runs its request again: the cache now answers the ones with these credentials.
        foreach (var waiter in check.Waiters) waiter.OnAccessReady();
    }

    private long Fail(IPAddress client, string user, bool known, long now)
    {
        Failures++;
        long delay = Throttle.Fail(client, now);
        int failures = Throttle.Failures(client, now);
        // Never the password: the user name and the address are what an administrator needs.
        _log.Write(Log.Level.Warning, Component, known ? WrongPasswordLog : UnknownUserLog, now,
            (known ? "wrong password for user '" + user + "'" : "unknown user '" + user + "'") + " from " + client
            + " (" + failures + " in a row; answered after " + delay / 1000 + " ms)");
        return delay;
    }

    /// <summary>A hash no password matches, at the users' cost, so unknown names take as long as known ones.</summary>
    private static Bcrypt.Parsed Decoy(UserTable? users)
    {
        int cost = users?.FirstCost ?? 10;
        var salt = new byte[Bcrypt.SaltBytes];
        var digest = new byte[Bcrypt.DigestBytes];
        Linux.SecureRandom.Fill(salt);
        Linux.SecureRandom.Fill(digest);
        return new Bcrypt.Parsed('y', cost, salt, digest);
    }

    public void Dispose() => _worker.Dispose();
}
