namespace Fmp4Streamer.Streaming;

/// <summary>ftyp+moov for one set of parameter sets, with what the pages and playlists advertise.</summary>
public sealed class InitSegment
{
    public InitSegment(byte[] bytes, string codecs, int width, int height, uint timescale, int rotation = 0,
        int audioSampleRate = 0)
    {
        AudioSampleRate = audioSampleRate;
        Bytes = bytes;
        Codecs = codecs;
        Width = width;
        Height = height;
        Timescale = timescale;
        Rotation = rotation;
    }

    public byte[] Bytes { get; }

    /// <summary>RFC 6381 codecs string from the SPS, e.g. "avc1.64001f", and the audio's after a comma ("avc1.64001f,mp4a.40.2").</summary>
    public string Codecs { get; }

    /// <summary>Picture size from the SPS (cropping applied, before rotation), as tkhd and avc1 carry it.</summary>
    public int Width { get; }
    public int Height { get; }
    public uint Timescale { get; }

    /// <summary>The audio track's sample rate and timescale; 0 when the stream has no audio.</summary>
    public int AudioSampleRate { get; }
    public bool HasAudio => AudioSampleRate > 0;

    /// <summary>Clockwise rotation in the tkhd matrix: 0, 90, 180 or 270.</summary>
    public int Rotation { get; }

    /// <summary>
    /// The size a player shows: tkhd keeps the picture's width/height and players turn it by the matrix (14496-12
    /// 8.3.2.3), so 90 and 270 swap them. What the HLS RESOLUTION attribute must say.
    /// </summary>
    public int DisplayWidth => Displayed(Width, Height, Rotation).Width;
    public int DisplayHeight => Displayed(Width, Height, Rotation).Height;

    /// <summary>A picture of width x height as a player shows it after a clockwise rotation.</summary>
    public static (int Width, int Height) Displayed(int width, int height, int rotation) =>
        rotation is 90 or 270 ? (height, width) : (width, height);
}
