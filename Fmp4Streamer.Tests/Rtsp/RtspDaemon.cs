using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Rtsp;

/// <summary>The built binary streaming the 640x480 test pattern over HTTP and RTSP on free ports.</summary>
internal static class RtspDaemon
{
    public static DaemonProcess Start(out int rtspPort, string extraServerKeys = "")
    {
        rtspPort = FreePort.Next();
        // A UDP range of its own, away from the usual ephemeral ports, so parallel runs rarely collide.
        int udpFirst = 20000 + Random.Shared.Next(0, 40) * 250;
        string config = $"""
            [server]
            rtsp_port = {rtspPort}
            rtsp_udp_ports = {udpFirst}-{udpFirst + 249}
            {extraServerKeys}

            [pattern]
            test_pattern = yes
            width = 640
            height = 480
            fps = 30
            """;
        var daemon = DaemonProcess.Start(config);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!daemon.Log.Contains("RTSP on") && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.That(daemon.Log, Does.Contain("RTSP on"), "RTSP did not start");
        return daemon;
    }
}
