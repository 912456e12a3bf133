using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fmp4Streamer.Access;

/// <summary>
/// A list of addresses and networks ("127.0.0.0/8, ::1, 192.168.1.0/24, fd00::/8"), as auth_exempt and
/// trusted_proxies are written. An IPv4 peer of a dual-stack socket (::ffff:a.b.c.d) matches the IPv4 entries.
/// </summary>
public sealed class NetworkList
{
    private readonly Network[] _networks;

    private NetworkList(Network[] networks, string text)
    {
        _networks = networks;
        Text = text;
    }

    public static NetworkList Empty { get; } = new([], "");

    /// <summary>The list as it was written (for logs).</summary>
    public string Text { get; }

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Whether an address on the loopback interface (127.0.0.1 or ::1) is covered.</summary>
    public bool CoversLoopback => Contains(IPAddress.Loopback) || Contains(IPAddress.IPv6Loopback);

    private readonly record struct Network(byte[] Prefix, int Bits);

    /// <summary>Entries separated by commas or spaces; false with a reason naming the first bad one.</summary>
    public static bool TryParse(string text, out NetworkList list, out string error)
    {
        list = Empty;
        error = "";
        var networks = new List<Network>();
        foreach (string item in text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!TryParseNetwork(item, out var network, out error)) return false;
            networks.Add(network);
        }
        list = new NetworkList(networks.ToArray(), text.Trim());
        return true;
    }

    /// <summary>For built-in lists and tests: throws on a bad entry.</summary>
    public static NetworkList Parse(string text) =>
        TryParse(text, out var list, out string error) ? list : throw new FormatException(error);

    private static bool TryParseNetwork(string item, out Network network, out string error)
    {
        network = default;
        int slash = item.IndexOf('/');
        string addressText = slash < 0 ? item : item[..slash];
        if (addressText.Length > 2 && addressText[0] == '[' && addressText[^1] == ']') addressText = addressText[1..^1];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%'))
        {
            error = "'" + item + "' is not an address or network (a.b.c.d, a.b.c.d/bits, an IPv6 address or IPv6/bits)";
            return false;
        }
        address = Canonical(address);
        byte[] bytes = address.GetAddressBytes();
        int bits = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(item.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out bits)
            || bits > bytes.Length * 8))
        {
            error = "'" + item + "' has a prefix length outside 0.." + bytes.Length * 8;
            return false;
        }
        for (int i = 0; i < bytes.Length * 8; i++)
        {
            if (i >= bits && (bytes[i / 8] & (0x80 >> (i % 8))) != 0)
            {
                error = "'" + item + "' has bits set after its prefix length; write the network's first address";
                return false;
            }
        }
        network = new Network(bytes, bits);
        error = "";
        return true;
    }

    public bool Contains(IPAddress? address)
    {
        if (address is null || _networks.Length == 0) return false;
        Span<byte> bytes = stackalloc byte[16];
        if (!Canonical(address).TryWriteBytes(bytes, out int length)) return false;
        bytes = bytes[..length];
        foreach (var network in _networks)
            if (network.Prefix.Length == length && PrefixMatches(network, bytes)) return true;
        return false;
    }

    private static bool PrefixMatches(in Network network, ReadOnlySpan<byte> address)
    {
        int whole = network.Bits / 8;
        if (!address[..whole].SequenceEqual(network.Prefix.AsSpan(0, whole))) return false;
        int rest = network.Bits % 8;
        if (rest == 0) return true;
        int mask = 0xff00 >> rest & 0xff;
        return (address[whole] & mask) == network.Prefix[whole];
    }

    /// <summary>::ffff:a.b.c.d as a.b.c.d, so one IPv4 entry covers both ways an IPv4 client can arrive.</summary>
    internal static IPAddress Canonical(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <summary>"10.0.0.5" or "[::1]" (a connection's address as logged) to an address; null if neither.</summary>
    public static IPAddress? ParseAddress(ReadOnlySpan<char> text)
    {
        if (text.Length > 2 && text[0] == '[' && text[^1] == ']') text = text[1..^1];
        return IPAddress.TryParse(text, out var address) ? Canonical(address) : null;
    }

    public override string ToString() => Text;
}
