using System.Buffers.Binary;
using System.Text;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux.Sockets;

/// <summary>
/// An IPv4 or IPv6 socket address held as a sockaddr_storage, parsed from a literal and formatted for logs
/// ("127.0.0.1:5000", "[::1]:5000"; IPv4-mapped IPv6 peers of a dual-stack socket print as IPv4).
/// </summary>
public unsafe struct SocketEndpoint
{
    internal sockaddr_storage Storage;
    internal socklen_t Length;

    public bool IsIPv6 => Storage.ss_family == AF_INET6;

    public int Port
    {
        get
        {
            fixed (sockaddr_storage* s = &Storage)
                return IsIPv6 ? ntohs(((sockaddr_in6*)s)->sin6_port) : ntohs(((sockaddr_in*)s)->sin_port);
        }
    }

    /// <summary>Parses an IPv4 literal or an IPv6 literal (brackets allowed); false for anything else.</summary>
    public static bool TryParse(string address, int port, out SocketEndpoint endpoint)
    {
        endpoint = default;
        string text = address.Length > 2 && address[0] == '[' && address[^1] == ']' ? address[1..^1] : address;
        fixed (sockaddr_storage* s = &endpoint.Storage)
        {
            var v4 = (sockaddr_in*)s;
            if (SocketNative.inet_pton(AF_INET, text, &v4->sin_addr) == 1)
            {
                v4->sin_family = AF_INET;
                v4->sin_port = htons((ushort)port);
                endpoint.Length = (uint)sizeof(sockaddr_in);
                return true;
            }
            var v6 = (sockaddr_in6*)s;
            if (SocketNative.inet_pton(AF_INET6, text, &v6->sin6_addr) == 1)
            {
                v6->sin6_family = AF_INET6;
                v6->sin6_port = htons((ushort)port);
                endpoint.Length = (uint)sizeof(sockaddr_in6);
                return true;
            }
        }
        return false;
    }

    /// <summary>The same address with another port (a client's RTP port beside its RTSP connection).</summary>
    public SocketEndpoint WithPort(int port)
    {
        var copy = this;
        sockaddr_storage* s = &copy.Storage;
        if (IsIPv6) ((sockaddr_in6*)s)->sin6_port = htons((ushort)port);
        else ((sockaddr_in*)s)->sin_port = htons((ushort)port);
        return copy;
    }

    public static SocketEndpoint AnyIPv6(int port)
    {
        TryParse("::", port, out var e);
        return e;
    }

    public static SocketEndpoint AnyIPv4(int port)
    {
        TryParse("0.0.0.0", port, out var e);
        return e;
    }

    public override string ToString()
    {
        byte* text = stackalloc byte[64];
        fixed (sockaddr_storage* s = &Storage)
        {
            if (IsIPv6)
            {
                var v6 = (sockaddr_in6*)s;
                byte* a = (byte*)&v6->sin6_addr;
                // ::ffff:a.b.c.d is how an IPv4 peer of a dual-stack socket arrives (RFC 4291 2.5.5.2).
                bool mapped = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(a, 8)) == 0
                    && a[8] == 0 && a[9] == 0 && a[10] == 0xff && a[11] == 0xff;
                if (mapped) return $"{a[12]}.{a[13]}.{a[14]}.{a[15]}:{Port}";
                if (SocketNative.inet_ntop(AF_INET6, a, text, 64) == null) return "?";
                return $"[{Encoding.ASCII.GetString(text, StrLen(text))}]:{Port}";
            }
            if (Storage.ss_family == AF_INET)
            {
                byte* a = (byte*)&((sockaddr_in*)s)->sin_addr;
                return $"{a[0]}.{a[1]}.{a[2]}.{a[3]}:{Port}";
            }
            return "?";
        }
    }

    private static int StrLen(byte* s)
    {
        int n = 0;
        while (s[n] != 0) n++;
        return n;
    }
}
