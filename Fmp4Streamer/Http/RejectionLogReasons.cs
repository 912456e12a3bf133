namespace Fmp4Streamer.Http;

/// <summary>The reasons the server's refusal log is limited by: every parser refusal, then the server's own.</summary>
internal static class RejectionLogReasons
{
    /// <summary>Beyond max_clients (503).</summary>
    public static readonly int MaxClients = Enum.GetValues<RejectReason>().Length;

    public static readonly int Count = MaxClients + 1;
}
