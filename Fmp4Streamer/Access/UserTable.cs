namespace Fmp4Streamer.Access;

/// <summary>The users of an htpasswd file and their bcrypt hashes; replaced whole on reload, never changed.</summary>
public sealed class UserTable
{
    private readonly Dictionary<string, Bcrypt.Parsed> _users;

    public UserTable(string source, Dictionary<string, Bcrypt.Parsed> users)
    {
        Source = source;
        _users = users;
    }

    /// <summary>The file the users came from (for logs).</summary>
    public string Source { get; }

    public int Count => _users.Count;

    public bool Contains(string user) => _users.ContainsKey(user);

    /// <summary>The cost of the first user's hash (a decoy check for unknown names costs the same); null if none.</summary>
    public int? FirstCost
    {
        get
        {
            foreach (var hash in _users.Values) return hash.Cost;
            return null;
        }
    }

    public bool TryGet(string user, out Bcrypt.Parsed hash) => _users.TryGetValue(user, out hash);
}
