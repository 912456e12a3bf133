namespace Fmp4Streamer.Streaming;

/// <summary>ftyp+moov for one set of parameter sets, with what the pages and playlists advertise.</summary>
public sealed class InitSegment
{
    public InitSegment(byte[] bytes, string codecs, int width, int height, uint timescale)
    {
        Bytes = bytes;
        Codecs = codecs;
        Width = width;
        Height = height;
        Timescale = timescale;
    }

    public byte[] Bytes { get; }

    /// <summary>RFC 6381 codecs string from the SPS, e.g. "avc1.64001f".</summary>
    public string Codecs { get; }

    /// <summary>Display size from the SPS (cropping applied, before rotation).</summary>
    public int Width { get; }
    public int Height { get; }
    public uint Timescale { get; }
}
