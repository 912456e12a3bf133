using System.Net;
using System.Text;
using Fmp4Streamer.Access;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Users for RTSP, one per connection: with an htpasswd file every request but OPTIONS and TEARDOWN needs Basic
/// credentials (RFC 2326 takes HTTP's authentication), auth_exempt networks excepted. A request whose password is
/// checked off the loop, or a wrong one being slowed, is held; the connection reads nothing further meanwhile.
/// </summary>
internal sealed class RtspAccessGate : IAccessWaiter, ITimerCallback
{
    private const string Challenge = "Basic realm=\"fmp4streamer\", charset=\"UTF-8\"";

    private readonly RtspConnection _connection;
    private readonly AccessControl _access;
    private readonly IPAddress _client;
    private LoopTimer? _timer;
    private bool _deny;

    public RtspAccessGate(RtspConnection connection, AccessControl access, EventLoop loop)
    {
        _connection = connection;
        _access = access;
        _loop = loop;
        _client = NetworkList.ParseAddress(AddressPart(connection.Peer.ToString())) ?? IPAddress.None;
    }

    private readonly EventLoop _loop;

    /// <summary>The request waiting for a decision, if any.</summary>
    public RtspRequest? Held { get; private set; }

    /// <summary>True when <paramref name="request"/> may be handled; false when it was answered or is held.</summary>
    public bool Admit(RtspRequest request)
    {
        if (_access.Users is null || request.Method is "OPTIONS" or "TEARDOWN") return true;
        bool exempt = _access.IsExempt(_client);
        if (request.Authorization is null)
        {
            if (exempt) return true;
            Deny(request);
            return false;
        }
        var outcome = _access.CheckBasic(_client, Encoding.UTF8.GetBytes(request.Authorization), this, out _, out long delayUs);
        switch (outcome)
        {
            case AccessOutcome.Allowed:
                return true;
            case AccessOutcome.Challenge:
                Deny(request);
                return false;
            default:
                Held = request;
                _deny = outcome == AccessOutcome.Wrong;
                if (delayUs > 0 || _deny)
                {
                    _timer ??= new LoopTimer(_loop, this);
                    _timer.Start(Math.Max(0, delayUs));
                }
                return false;
        }
    }

    public void OnAccessReady() => Release();

    void ITimerCallback.OnTimer(LoopTimer timer) => Release();

    private void Release()
    {
        var request = Held;
        if (request is null || _connection.IsClosed) return;
        Held = null;
        if (_deny) Deny(request);
        _connection.OnAccessDecided(_deny ? null : request);
    }

    private void Deny(RtspRequest request) =>
        _connection.Reply(new RtspResponse(401, request.CSeq).Header("WWW-Authenticate", Challenge));

    public void Stop()
    {
        Held = null;
        _timer?.Stop();
    }

    private static string AddressPart(string endpoint)
    {
        int colon = endpoint.LastIndexOf(':');
        return colon > 0 ? endpoint[..colon] : endpoint;
    }
}
