namespace Fmp4Streamer.Mp4;

/// <summary>The RFC 6381 "codecs" value for an avc1 track: "avc1." + the avcC's profile, compatibility and level bytes in hex.</summary>
public static class AvcCodecString
{
    /// <summary>
    /// "avc1.64002a" from an SPS NAL unit (header byte first): the same bytes 1..3 that <see cref="InitSegmentWriter"/>
    /// puts in avcC, so the MIME type a page advertises matches the track (RFC 6381 3.3).
    /// </summary>
    public static string FromSps(ReadOnlySpan<byte> sps)
    {
        if (sps.Length < 4 || (sps[0] & 0x1F) != 7)
            throw new ArgumentException("SPS must be a NAL unit of type 7 (header byte included) of at least 4 bytes", nameof(sps));
        return "avc1." + Convert.ToHexStringLower(sps.Slice(1, 3));
    }
}
