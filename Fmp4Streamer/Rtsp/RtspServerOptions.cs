namespace Fmp4Streamer.Rtsp;

public sealed class RtspServerOptions
{
    /// <summary>Listen address as for HTTP: "" (dual-stack), a literal, or "localhost".</summary>
    public string Listen { get; init; } = "";
    public int Port { get; init; } = 8554;
    public int Mtu { get; init; } = 1400;
    public int UdpPortFirst { get; init; } = 8000;
    public int UdpPortLast { get; init; } = 8999;
    public int MaxClients { get; init; } = 100;

    /// <summary>Unsent bytes a TCP client may queue before it skips to the next key frame.</summary>
    public int ClientQueueBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Time a TCP client may accept no bytes while some are queued before it is dropped.</summary>
    public long StallTimeoutUs { get; init; } = 10_000_000;

    /// <summary>Session timeout stated in the Session header; a session without requests or RTCP for this long ends.</summary>
    public int SessionTimeoutSeconds { get; init; } = 60;

    /// <summary>How long DESCRIBE waits for a waking camera's first parameter sets before answering 503.</summary>
    public long DescribeTimeoutUs { get; init; } = 10_000_000;

    public long SenderReportIntervalUs { get; init; } = 5_000_000;
}
