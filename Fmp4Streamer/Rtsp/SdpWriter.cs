using System.Text;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The session description DESCRIBE returns (RFC 4566): one H264 video track with the stream's real SPS and PPS
/// in the fmtp line (RFC 6184 8.1), so a client can set up its decoder before the first key frame; with sound, an
/// AAC track in the mpeg4-generic AAC-hbr mode (RFC 3640 4.1, 3.3.6) with its AudioSpecificConfig.
/// </summary>
public static class SdpWriter
{
    public const string TrackControl = "trackID=0";
    public const string AudioTrackControl = "trackID=1";

    /// <summary>
    /// audioProfileLevelIndication (ISO/IEC 14496-3 1.5.2.4) 0x29, "AAC Profile" level 2: AAC-LC, up to two channels
    /// at up to 48 kHz, all the encoder makes.
    /// </summary>
    public const int AacProfileLevelId = 0x29;

    public static string Write(string name, AvcParameterSets parameterSets, int framesPerSecond, long sessionId, AacConfig? audio = null)
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
        if (audio is not null) WriteAudio(sdp, audio);
        return sdp.ToString();
    }

    private static void WriteAudio(StringBuilder sdp, AacConfig audio)
    {
        const int pt = AacPacketizer.PayloadType;
        sdp.Append("m=audio 0 RTP/AVP ").Append(pt).Append("\r\n");
        sdp.Append("a=rtpmap:").Append(pt).Append(" mpeg4-generic/").Append(audio.SampleRate).Append('/').Append(audio.Channels).Append("\r\n");
        // Units of up to 8191 bytes, no interleaving (RFC 3640 3.3.6).
        sdp.Append("a=fmtp:").Append(pt).Append(" streamtype=5;profile-level-id=").Append(AacProfileLevelId)
            .Append(";mode=AAC-hbr;config=").Append(Convert.ToHexString(audio.AudioSpecificConfig))
            .Append(";sizeLength=13;indexLength=3;indexDeltaLength=3\r\n");
        sdp.Append("a=control:").Append(AudioTrackControl).Append("\r\n");
    }
}
