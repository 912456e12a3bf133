namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>What <see cref="MjpegH264Demuxer.Demux"/> found in a frame.</summary>
public enum MjpegH264Status
{
    Ok,

    /// <summary>The frame does not start with a JPEG SOI (FF D8).</summary>
    NotJpeg,

    /// <summary>A JPEG without APP4 segments, or with a zero payload size: the camera is not muxing H.264.</summary>
    NoH264Payload,

    /// <summary>The payload header does not fit its segment.</summary>
    Corrupt,

    /// <summary>The segments end before the advertised payload size.</summary>
    Truncated,
}
