using System.Text;
using Fmp4Streamer.Http;

namespace Fmp4Streamer.Tests.Http;

public class RequestParserTests
{
    private const int Max = 8192;

    private static TestCaseData Reject(string name, string request, RejectReason reason, int status) =>
        new TestCaseData(request, reason, status).SetName("Rejects " + name);

    private static IEnumerable<TestCaseData> Rejections()
    {
        yield return Reject("garbage without a line end", "\x16\x03\x01\x02\x00", RejectReason.MalformedRequestLine, 400);
        yield return Reject("garbage line", "hello\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("missing version", "GET /\r\nHost: a\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("lower-case version", "GET / http/1.1\r\nHost: a\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("control char in target", "GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("relative target", "GET index.html HTTP/1.1\r\nHost: a\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("header folding", "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n  c\r\n\r\n", RejectReason.MalformedHeader, 400);
        yield return Reject("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", RejectReason.MalformedHeader, 400);
        yield return Reject("header without colon", "GET / HTTP/1.1\r\nHost a\r\n\r\n", RejectReason.MalformedHeader, 400);
        yield return Reject("empty header name", "GET / HTTP/1.1\r\n: a\r\nHost: a\r\n\r\n", RejectReason.MalformedHeader, 400);
        yield return Reject("NUL in header value", "GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n", RejectReason.MalformedHeader, 400);
        yield return Reject("HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", RejectReason.MissingHost, 400);
        yield return Reject("two Host headers", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", RejectReason.MissingHost, 400);
        yield return Reject("a body", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", RejectReason.UnexpectedBody, 400);
        yield return Reject("chunked body", "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", RejectReason.UnexpectedBody, 400);
        yield return Reject("PUT", "PUT / HTTP/1.1\r\nHost: a\r\n\r\n", RejectReason.MethodNotAllowed, 405);
        yield return Reject("chunked POST", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", RejectReason.LengthRequired, 411);
        yield return Reject("two lengths", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", RejectReason.LengthRequired, 411);
        yield return Reject("signed length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\na", RejectReason.LengthRequired, 411);
        yield return Reject("large body", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4097\r\n\r\n", RejectReason.PayloadTooLarge, 413);
        yield return Reject("lower-case get", "get / HTTP/1.1\r\nHost: a\r\n\r\n", RejectReason.MethodNotAllowed, 405);
        yield return Reject("asterisk-form without OPTIONS", "GET * HTTP/1.1\r\nHost: a\r\n\r\n", RejectReason.MalformedRequestLine, 400);
        yield return Reject("long request line", "GET /" + new string('a', Max) + " HTTP/1.1\r\n\r\n", RejectReason.UriTooLong, 414);
        yield return Reject("long unfinished request line", "GET /" + new string('a', Max), RejectReason.UriTooLong, 414);
        yield return Reject("large headers", "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('a', Max) + "\r\n\r\n", RejectReason.HeadersTooLarge, 431);
        yield return Reject("large unfinished headers", "GET / HTTP/1.1\r\nHost: a\r\nX: " + new string('a', Max), RejectReason.HeadersTooLarge, 431);
        yield return Reject("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", RejectReason.VersionNotSupported, 505);
        yield return Reject("HTTP/1.2", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", RejectReason.VersionNotSupported, 505);
        yield return Reject("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", RejectReason.VersionNotSupported, 505);
    }

    [TestCaseSource(nameof(Rejections))]
    public void RejectsWithReasonAndStatus(string request, RejectReason expected, int status)
    {
        var result = RequestParser.TryParse(Encoding.Latin1.GetBytes(request), Max, out _, out var reason);
        Assert.That(result, Is.EqualTo(ParseStatus.Rejected));
        Assert.That(reason, Is.EqualTo(expected));
        Assert.That(reason.StatusCode(), Is.EqualTo(status));
    }

    private static TestCaseData Good(string name, string request, RequestMethod method, string target, string path,
        string? query, bool keepAlive, int minor) =>
        new TestCaseData(request, method, target, path, query, keepAlive, minor).SetName("Parses " + name);

    private static IEnumerable<TestCaseData> GoodRequests()
    {
        yield return Good("a plain GET", "GET /index.html HTTP/1.1\r\nHost: a\r\n\r\n", RequestMethod.Get, "/index.html", "/index.html", null, true, 1);
        yield return Good("HEAD", "HEAD /stream.mp4 HTTP/1.1\r\nHost: a\r\n\r\n", RequestMethod.Head, "/stream.mp4", "/stream.mp4", null, true, 1);
        yield return Good("a query string", "GET /stream.mp4?1650000000 HTTP/1.1\r\nHost: a\r\n\r\n", RequestMethod.Get, "/stream.mp4?1650000000", "/stream.mp4", "1650000000", true, 1);
        yield return Good("an empty query", "GET /?  HTTP/1.1\r\nHost: a\r\n\r\n".Replace("?  ", "? "), RequestMethod.Get, "/?", "/", "", true, 1);
        yield return Good("absolute-form", "GET http://cam.local:8000/stream.mp4?x=1 HTTP/1.1\r\nHost: cam.local:8000\r\n\r\n", RequestMethod.Get, "http://cam.local:8000/stream.mp4?x=1", "/stream.mp4", "x=1", true, 1);
        yield return Good("absolute-form without path", "GET http://cam.local HTTP/1.1\r\nHost: cam.local\r\n\r\n", RequestMethod.Get, "http://cam.local", "", null, true, 1);
        yield return Good("Connection: close", "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", RequestMethod.Get, "/", "/", null, false, 1);
        yield return Good("Connection list with close", "GET / HTTP/1.1\r\nHost: a\r\nconnection: Upgrade, CLOSE\r\n\r\n", RequestMethod.Get, "/", "/", null, false, 1);
        yield return Good("HTTP/1.0 without Host", "GET / HTTP/1.0\r\n\r\n", RequestMethod.Get, "/", "/", null, false, 0);
        yield return Good("HTTP/1.0 keep-alive (still closes)", "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", RequestMethod.Get, "/", "/", null, false, 0);
        yield return Good("bare LF lines", "GET / HTTP/1.1\nHost: a\n\n", RequestMethod.Get, "/", "/", null, true, 1);
        yield return Good("leading empty lines", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", RequestMethod.Get, "/", "/", null, true, 1);
        yield return Good("Content-Length: 0", "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", RequestMethod.Get, "/", "/", null, true, 1);
        yield return Good("Chromium's headers", "GET /stream.mp4 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nConnection: keep-alive\r\nAccept-Encoding: identity;q=1, *;q=0\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\nAccept: */*\r\nRange: bytes=0-\r\n\r\n", RequestMethod.Get, "/stream.mp4", "/stream.mp4", null, true, 1);
    }

    [TestCaseSource(nameof(GoodRequests))]
    public void ParsesGoodRequests(string text, RequestMethod method, string target, string path, string? query, bool keepAlive, int minor)
    {
        var bytes = Encoding.ASCII.GetBytes(text + "GET /next");
        var result = RequestParser.TryParse(bytes, Max, out var request, out var reason);
        Assert.That(result, Is.EqualTo(ParseStatus.Complete), reason.ToString());
        Assert.That(request.Method, Is.EqualTo(method));
        Assert.That(Encoding.ASCII.GetString(request.Target(bytes)), Is.EqualTo(target));
        Assert.That(Encoding.ASCII.GetString(request.Path(bytes)), Is.EqualTo(path));
        Assert.That(request.QueryStart < 0 ? null : Encoding.ASCII.GetString(request.Query(bytes)), Is.EqualTo(query));
        Assert.That(request.KeepAlive, Is.EqualTo(keepAlive));
        Assert.That(request.MinorVersion, Is.EqualTo(minor));
        Assert.That(request.HeadLength, Is.EqualTo(text.Length), "consumes exactly the head, leaving the pipelined request");
    }

    [Test]
    public void EveryPrefixOfAGoodRequestIsIncomplete()
    {
        var bytes = Encoding.ASCII.GetBytes("GET /stream.mp4?1 HTTP/1.1\r\nHost: a\r\nUser-Agent: x\r\n\r\n");
        for (int n = 0; n < bytes.Length; n++)
        {
            var result = RequestParser.TryParse(bytes.AsSpan(0, n), Max, out _, out var reason);
            Assert.That(result, Is.EqualTo(ParseStatus.Incomplete), $"prefix {n}: {reason}");
        }
    }

    [Test]
    public void APostKeepsItsLengthOriginAndContentType()
    {
        var bytes = Encoding.ASCII.GetBytes("POST /controls HTTP/1.1\r\nHost: cam:8000\r\nOrigin: http://cam:8000\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
        Assert.That(RequestParser.TryParse(bytes, Max, out var request, out _), Is.EqualTo(ParseStatus.Complete));
        Assert.That(request.Method, Is.EqualTo(RequestMethod.Post));
        Assert.That(request.ContentLength, Is.EqualTo(2));
        Assert.That(request.HeadLength, Is.EqualTo(bytes.Length - 2), "the body is not part of the head");
        Assert.That(Encoding.ASCII.GetString(request.Origin.Of(bytes)), Is.EqualTo("http://cam:8000"));
        Assert.That(Encoding.ASCII.GetString(request.Host.Of(bytes)), Is.EqualTo("cam:8000"));
        Assert.That(Encoding.ASCII.GetString(request.ContentType.Of(bytes)), Is.EqualTo("application/json"));
    }

    [Test]
    public void APostWithoutLengthHasAnEmptyBody()
    {
        var bytes = Encoding.ASCII.GetBytes("POST /controls HTTP/1.1\r\nHost: a\r\n\r\n");
        Assert.That(RequestParser.TryParse(bytes, Max, out var request, out _), Is.EqualTo(ParseStatus.Complete));
        Assert.That(request.ContentLength, Is.EqualTo(0));
    }

    [Test]
    public void CountsHeaders()
    {
        var bytes = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB:2\r\n\r\n");
        RequestParser.TryParse(bytes, Max, out var request, out _);
        Assert.That(request.HeaderCount, Is.EqualTo(3));
    }
}
