using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fmp4Streamer.Access;

/// <summary>
/// The login cookie: "USER.EXPIRY.MAC" with the user in base64url, the expiry in seconds of the loop's clock and an
/// HMAC-SHA-256 over both and the user's bcrypt salt, under a key drawn at start. A restart, a changed password or a
/// removed user ends every session; nothing is stored on the server.
/// </summary>
public sealed class SessionCookie
{
    private const int MacBytes = 32;
    private readonly HmacSha256 _hmac;

    /// <param name="name">Cookie name; includes the port, since browsers do not separate cookies by port.</param>
    public SessionCookie(string name, ReadOnlySpan<byte> key, long lifetimeSeconds)
    {
        Name = name;
        _hmac = new HmacSha256(key);
        LifetimeSeconds = lifetimeSeconds;
    }

    /// <summary>A cookie signer with a fresh random key (one per start).</summary>
    public static SessionCookie WithRandomKey(string name, long lifetimeSeconds)
    {
        Span<byte> key = stackalloc byte[32];
        Linux.SecureRandom.Fill(key);
        var cookie = new SessionCookie(name, key, lifetimeSeconds);
        key.Clear();
        return cookie;
    }

    public string Name { get; }
    public long LifetimeSeconds { get; }

    /// <summary>The cookie's value for <paramref name="user"/>, valid until <paramref name="nowUs"/> plus the lifetime.</summary>
    public string Issue(string user, ReadOnlySpan<byte> stamp, long nowUs)
    {
        long expiry = nowUs / 1_000_000 + LifetimeSeconds;
        string payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(user)) + "." + expiry.ToString(CultureInfo.InvariantCulture);
        Span<byte> mac = stackalloc byte[MacBytes];
        Sign(payload, stamp, mac);
        return payload + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>The Set-Cookie header's value.</summary>
    public string SetCookieValue(string value, bool secure) =>
        // HttpOnly: no script can read it; SameSite=Lax: other sites' pages cannot embed our streams with it, while a
        // link to the page from elsewhere (a printer's dashboard) still logs in. No Path: it stays under the directory
        // that set it, so cameras behind one proxy at /webcam/ and /webcam2/ keep separate sessions.
        Name + "=" + value + "; Max-Age=" + LifetimeSeconds.ToString(CultureInfo.InvariantCulture) + "; HttpOnly; SameSite=Lax"
        + (secure ? "; Secure" : "");

    /// <summary>The user a cookie value was issued to, if it is ours, unexpired, and the user's stamp still matches.</summary>
    public string? Verify(ReadOnlySpan<char> value, long nowUs, UserTable users)
    {
        int lastDot = value.LastIndexOf('.');
        if (lastDot <= 0) return null;
        var payload = value[..lastDot];
        int firstDot = payload.IndexOf('.');
        if (firstDot <= 0) return null;
        if (!long.TryParse(payload[(firstDot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out long expiry)
            || expiry <= nowUs / 1_000_000 || expiry > nowUs / 1_000_000 + LifetimeSeconds) return null;
        string user;
        try
        {
            user = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(payload[..firstDot]));
        }
        catch (FormatException)
        {
            return null;
        }
        if (!users.TryGet(user, out var hash)) return null;
        Span<byte> expected = stackalloc byte[MacBytes];
        Sign(payload.ToString(), hash.Salt, expected);
        var encodedMac = value[(lastDot + 1)..];
        if (Base64Url.GetMaxDecodedLength(encodedMac.Length) != MacBytes) return null;
        Span<byte> given = stackalloc byte[MacBytes];
        try
        {
            // A bad character throws rather than returning false.
            if (!Base64Url.TryDecodeFromChars(encodedMac, given, out int length) || length != MacBytes) return null;
        }
        catch (FormatException)
        {
            return null;
        }
        return CryptographicOperations.FixedTimeEquals(expected, given) ? user : null;
    }

    /// <summary>The first of our cookies in a Cookie header (there may be one per path) that verifies.</summary>
    public string? VerifyHeader(ReadOnlySpan<byte> header, long nowUs, UserTable users)
    {
        if (header.IsEmpty) return null;
        string text = Encoding.ASCII.GetString(header);
        foreach (string pair in text.Split(';'))
        {
            var item = pair.AsSpan().Trim();
            int equals = item.IndexOf('=');
            if (equals <= 0 || !item[..equals].SequenceEqual(Name)) continue;
            if (Verify(item[(equals + 1)..], nowUs, users) is string user) return user;
        }
        return null;
    }

    private void Sign(string payload, ReadOnlySpan<byte> stamp, Span<byte> mac) =>
        _hmac.Compute(Encoding.UTF8.GetBytes(payload), stamp, mac);
}
