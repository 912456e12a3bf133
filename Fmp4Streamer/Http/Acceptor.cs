using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Sockets;

namespace Fmp4Streamer.Http;

/// <summary>The event-loop handler of one listening socket.</summary>
internal sealed class Acceptor : IPollable
{
    private readonly HttpServer _server;

    public Acceptor(HttpServer server, ListeningSocket socket)
    {
        _server = server;
        Socket = socket;
    }

    public ListeningSocket Socket { get; }

    public void OnPoll(int events) => _server.AcceptAll(this);
}
