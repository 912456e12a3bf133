using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>The built binary serving RTSP (and HTTP) on free ports, by default with a 640x480 test pattern.</summary>
internal static class RtspDaemon
{
    private const string PatternSection = """
        [pattern]
        test_pattern = yes
        width = 640
        height = 480
        fps = 30
        """;

    /// <summary>The daemon with RTSP on a free port and <paramref name="cameraSections"/> (a 640x480 test pattern by default).</summary>
    public static DaemonProcess Start(out int rtspPort, string extraServerKeys = "", string cameraSections = PatternSection)
    {
        rtspPort = FreePort.Next();
        // A UDP range of its own, away from the usual ephemeral ports, so parallel runs rarely collide.
        int udpFirst = 20000 + Random.Shared.Next(0, 40) * 250;
        string config = $"""
            [server]
            rtsp_port = {rtspPort}
            rtsp_udp_ports = {udpFirst}-{udpFirst + 249}
            {extraServerKeys}

            {cameraSections}
            """;
        var daemon = DaemonProcess.Start(config);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!daemon.Log.Contains("RTSP on") && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.That(daemon.Log, Does.Contain("RTSP on"), "RTSP did not start");
        return daemon;
    }
}
