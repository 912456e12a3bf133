using System.Text;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The session description DESCRIBE returns (RFC 4566): one H264 video track with the stream's real SPS and PPS
/// in the fmtp line (RFC 6184 8.1), so a client can set up its decoder before the first key frame.
/// </summary>
public static class SdpWriter
{
    public const string TrackControl = "trackID=0";

    public static string Write(string name, AvcParameterSets parameterSets, int framesPerSecond, long sessionId)
    {
        var sps = parameterSets.Sps;
        string profileLevelId = sps.Length >= 4 ? Convert.ToHexString(sps, 1, 3) : "42E01F";
        var sdp = new StringBuilder();
        sdp.Append("v=0\r\n");
        sdp.Append("o=- ").Append(sessionId).Append(" 1 IN IP4 0.0.0.0\r\n");
        sdp.Append("s=").Append(name).Append("\r\n");
        sdp.Append("c=IN IP4 0.0.0.0\r\n");
        sdp.Append("t=0 0\r\n");
        sdp.Append("a=control:*\r\n");
        sdp.Append("a=range:npt=now-\r\n");
        sdp.Append("m=video 0 RTP/AVP ").Append(RtpPacketizer.PayloadType).Append("\r\n");
        sdp.Append("a=rtpmap:").Append(RtpPacketizer.PayloadType).Append(" H264/90000\r\n");
        sdp.Append("a=fmtp:").Append(RtpPacketizer.PayloadType)
            .Append(" packetization-mode=1;profile-level-id=").Append(profileLevelId)
            .Append(";sprop-parameter-sets=").Append(Convert.ToBase64String(sps))
            .Append(',').Append(Convert.ToBase64String(parameterSets.Pps)).Append("\r\n");
        sdp.Append("a=framerate:").Append(framesPerSecond).Append("\r\n");
        sdp.Append("a=control:").Append(TrackControl).Append("\r\n");
        return sdp.ToString();
    }
}
