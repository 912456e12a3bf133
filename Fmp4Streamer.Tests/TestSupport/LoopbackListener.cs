using System.Net;
using System.Net.Sockets;

namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>Whether something listens on a loopback port, for tests that wait for a server to start.</summary>
public static class LoopbackListener
{
    /// <summary>
    /// True when a connection to the port reaches a listener. Free ports come from the ephemeral range, so a connect
    /// to a port nobody listens on can pick that same port as its own source and connect to itself (TCP simultaneous
    /// open): that connection proves nothing and counts as not listening.
    /// </summary>
    public static bool IsListening(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Connect(IPAddress.Loopback, port);
        }
        catch (SocketException)
        {
            return false;
        }
        return ((IPEndPoint)socket.LocalEndPoint!).Port != port;
    }
}
