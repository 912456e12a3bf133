using System.Net;
using System.Net.Sockets;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Rtsp;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>Session timeouts and DESCRIBE on a sleeping camera, on a loop whose clock the test moves.</summary>
public class RtspSessionTimeoutTests
{
    private ManualClock _clock = null!;
    private EventLoop _loop = null!;
    private ManualVideoSource _source = null!;
    private StreamHub _hub = null!;
    private RtspServer _server = null!;

    [SetUp]
    public void Create()
    {
        _clock = new ManualClock();
        _loop = new EventLoop(_clock);
        _source = new ManualVideoSource();
        _hub = new StreamHub(_loop, _source, new StreamHubOptions { Name = "cam", AutoSleep = true, SleepGraceUs = 1_000_000 });
        _hub.Open();
        int udpFirst = 45000 + Random.Shared.Next(0, 100) * 50;
        _server = new RtspServer(_loop, new RtspServerOptions
        {
            Listen = "127.0.0.1", Port = 0, UdpPortFirst = udpFirst, UdpPortLast = udpFirst + 49,
        }, new[] { _hub }, new[] { 30 });
        _server.Start();
    }

    [TearDown]
    public void Dispose()
    {
        _server.Dispose();
        _hub.Close();
        _loop.Dispose();
    }

    private void Pump()
    {
        for (int i = 0; i < 5; i++) _loop.RunOnce(5);
    }

    private (int Status, string Head, string Body) Ask(RtspTestClient client, string method, params string[] headers)
    {
        string url = $"rtsp://127.0.0.1:{_server.Port}/cam" + (method == "SETUP" ? "/trackID=0" : "");
        var task = Task.Run(() => client.Request(method, url, headers));
        while (!task.IsCompleted) Pump();
        return task.Result;
    }

    [Test]
    public void A_session_without_requests_ends_after_the_timeout_it_states()
    {
        // A camera that has streamed before: its parameter sets are known.
        var encoder = new TestPatternEncoder(320, 240, 30);
        var frame = new byte[encoder.MaxFrameSize];
        _hub.Subscribe(new Ignore());
        _source.Sink!.OnAccessUnit(frame.AsSpan(0, encoder.EncodeFrame(0, 0, true, frame)), 1_000_000);

        using var client = new RtspTestClient(_server.Port);
        var setup = Ask(client, "SETUP", "Transport: RTP/AVP;unicast;client_port=40000-40001");
        Assert.That(setup.Status, Is.EqualTo(200), setup.Head);
        string session = RtspTestClient.HeaderValue(setup.Head, "Session").Split(';')[0];

        _loop.AdvanceAndRun(_clock, 59_000_000, 500_000);
        Assert.That(Ask(client, "GET_PARAMETER", "Session: " + session).Status, Is.EqualTo(200), "keep-alive");
        _loop.AdvanceAndRun(_clock, 59_000_000, 500_000);
        Assert.That(_server.SessionCount, Is.EqualTo(1), "refreshed by the keep-alive");
        _loop.AdvanceAndRun(_clock, 2_500_000, 500_000);
        Assert.That(_server.SessionCount, Is.EqualTo(0));
        Assert.That(Ask(client, "PLAY", "Session: " + session).Status, Is.EqualTo(454));

        var metrics = new Fmp4Streamer.Diagnostics.Metrics.MetricsRegistry();
        _server.Register(metrics);
        string text = metrics.RenderText();
        Assert.That(text, Does.Contain("fmp4streamer_rtsp_sessions 0\n").And.Contain("fmp4streamer_rtsp_connections 1\n")
            .And.Contain("fmp4streamer_rtsp_error_responses_total 1\n"));
    }

    [Test]
    public void Describe_wakes_a_sleeping_camera_and_is_answered_with_its_parameter_sets()
    {
        using var client = new RtspTestClient(_server.Port);
        var task = Task.Run(() => client.Request("DESCRIBE", $"rtsp://127.0.0.1:{_server.Port}/"));
        while (_source.Starts == 0) Pump();
        Assert.That(task.IsCompleted, Is.False, "no answer before the camera sent its SPS and PPS");
        var encoder = new TestPatternEncoder(320, 240, 30);
        var frame = new byte[encoder.MaxFrameSize];
        _source.Sink!.OnAccessUnit(frame.AsSpan(0, encoder.EncodeFrame(0, 0, true, frame)), 1_000_000);
        while (!task.IsCompleted) Pump();
        Assert.That(task.Result.Status, Is.EqualTo(200));
        Assert.That(task.Result.Body, Does.Contain("sprop-parameter-sets="));
        Assert.That(RtspTestClient.HeaderValue(task.Result.Head, "Content-Base"), Does.EndWith($":{_server.Port}/"));
    }

    [Test]
    public void Describe_gets_503_when_the_camera_never_delivers()
    {
        using var client = new RtspTestClient(_server.Port);
        var task = Task.Run(() => client.Request("DESCRIBE", $"rtsp://127.0.0.1:{_server.Port}/cam"));
        while (_source.Starts == 0) Pump();
        _loop.AdvanceAndRun(_clock, 11_000_000, 500_000);
        while (!task.IsCompleted) Pump();
        Assert.That(task.Result.Status, Is.EqualTo(503));
    }

    private sealed class Ignore : IFragmentSubscriber
    {
        public void OnFragment(SharedFragment fragment) { }
        public void OnStreamReset() { }
    }
}
