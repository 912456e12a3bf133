namespace Fmp4Streamer.Access;

/// <summary>
/// Reads an Apache/nginx htpasswd file ("user:hash" per line, '#' comments, blank lines). Only bcrypt entries (as
/// made by htpasswd -B) are taken: the other kinds htpasswd can write (MD5 "$apr1$", SHA-1 "{SHA}", crypt, plain
/// text) are quick to guess from a stolen file, so the file is refused with the line and user that need a new hash.
/// </summary>
public static class HtpasswdFile
{
    public static UserTable Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new HtpasswdException(path + ": cannot read the htpasswd file: " + e.Message);
        }
        return Parse(path, text);
    }

    public static UserTable Parse(string path, string text)
    {
        var users = new Dictionary<string, Bcrypt.Parsed>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            string at = path + ":" + (i + 1) + ": ";
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            int colon = line.IndexOf(':');
            if (colon <= 0)
                throw new HtpasswdException(at + "not a 'user:hash' line" + (colon == 0 ? " (the user name is empty)" : ""));
            string user = line[..colon];
            string hash = line[(colon + 1)..].Trim();
            string who = at + "user '" + user + "': ";
            if (users.ContainsKey(user)) throw new HtpasswdException(who + "listed twice");
            if (!Bcrypt.TryParse(hash, out var parsed, out string error))
            {
                string kind = KindOf(hash);
                throw new HtpasswdException(who + (kind.Length > 0 ? kind + " is not accepted" : error)
                    + "; make the entry with htpasswd -B (bcrypt)");
            }
            users.Add(user, parsed);
        }
        return new UserTable(path, users);
    }

    /// <summary>What kind of hash another tool wrote, for the error message ("" for a malformed bcrypt hash).</summary>
    private static string KindOf(string hash)
    {
        if (hash.StartsWith("$2", StringComparison.Ordinal)) return "";
        if (hash.StartsWith("$apr1$", StringComparison.Ordinal)) return "an MD5 ($apr1$) hash";
        if (hash.StartsWith("$1$", StringComparison.Ordinal)) return "an MD5-crypt ($1$) hash";
        if (hash.StartsWith("{SHA}", StringComparison.Ordinal)) return "a SHA-1 ({SHA}) hash";
        if (hash.StartsWith("$5$", StringComparison.Ordinal)) return "a SHA-256-crypt ($5$) hash";
        if (hash.StartsWith("$6$", StringComparison.Ordinal)) return "a SHA-512-crypt ($6$) hash";
        if (hash.StartsWith('$')) return "a '" + hash[..Math.Max(1, hash.IndexOf('$', 1) + 1)] + "' hash";
        if (hash.Length == 0) return "an empty password";
        return "a crypt() hash or plain-text password";
    }
}
