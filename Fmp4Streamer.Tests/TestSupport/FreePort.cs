using System.Net;
using System.Net.Sockets;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>A loopback TCP port that was free a moment ago.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
