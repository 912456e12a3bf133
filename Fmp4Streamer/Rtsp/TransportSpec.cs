namespace Fmp4Streamer.Rtsp;

/// <summary>What a client asked for in SETUP's Transport header (RFC 2326 12.39): interleaved TCP or unicast UDP.</summary>
public readonly record struct TransportSpec(bool Interleaved, int ClientRtpPort, int ClientRtcpPort)
{
    /// <summary>
    /// Picks the first transport of the list this server offers (RTP/AVP/TCP interleaved, or RTP/AVP[/UDP] unicast
    /// with client ports); false when none is usable (multicast, another profile, missing ports).
    /// </summary>
    public static bool TryParse(string? header, out TransportSpec spec)
    {
        spec = default;
        if (string.IsNullOrWhiteSpace(header)) return false;
        foreach (string option in header.Split(','))
        {
            string[] parts = option.Trim().Split(';');
            string protocol = parts[0].Trim().ToUpperInvariant();
            bool multicast = false;
            int rtp = -1, rtcp = -1;
            foreach (string part in parts.AsSpan(1))
            {
                string p = part.Trim();
                if (p.Equals("multicast", StringComparison.OrdinalIgnoreCase)) multicast = true;
                else if (p.StartsWith("client_port=", StringComparison.OrdinalIgnoreCase)) ParsePorts(p[12..], out rtp, out rtcp);
            }
            if (multicast) continue;
            if (protocol == "RTP/AVP/TCP")
            {
                spec = new TransportSpec(true, 0, 0);
                return true;
            }
            if ((protocol == "RTP/AVP" || protocol == "RTP/AVP/UDP") && rtp > 0)
            {
                spec = new TransportSpec(false, rtp, rtcp > 0 ? rtcp : rtp + 1);
                return true;
            }
        }
        return false;
    }

    private static void ParsePorts(string text, out int rtp, out int rtcp)
    {
        rtp = rtcp = -1;
        string[] ports = text.Split('-');
        if (!int.TryParse(ports[0], out rtp) || rtp is < 1 or > 65535) { rtp = -1; return; }
        if (ports.Length > 1 && (!int.TryParse(ports[1], out rtcp) || rtcp is < 1 or > 65535)) rtcp = -1;
    }
}
