namespace Fmp4Streamer.Streaming;

/// <summary>One picture's access unit as the hub hands it to an <see cref="IAccessUnitOutput"/>: valid during the call only.</summary>
public readonly ref struct AccessUnit
{
    public AccessUnit(ReadOnlySpan<byte> annexB, bool isKeyFrame, long captureTimeUs, long arrivalUs,
        ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        AnnexB = annexB;
        IsKeyFrame = isKeyFrame;
        CaptureTimeUs = captureTimeUs;
        ArrivalUs = arrivalUs;
        Sps = sps;
        Pps = pps;
    }

    /// <summary>The access unit as the source delivered it (Annex-B start codes).</summary>
    public ReadOnlySpan<byte> AnnexB { get; }

    /// <summary>An IDR: a decoder can start here.</summary>
    public bool IsKeyFrame { get; }

    /// <summary>CLOCK_MONOTONIC µs of the capture (0 when the source has none).</summary>
    public long CaptureTimeUs { get; }

    /// <summary>When the hub received it (the loop's clock, µs).</summary>
    public long ArrivalUs { get; }

    /// <summary>
    /// The stream's current SPS and PPS (NAL units without start codes): a camera that sends them only once still
    /// lets an output start a decoder at any later key frame.
    /// </summary>
    public ReadOnlySpan<byte> Sps { get; }
    public ReadOnlySpan<byte> Pps { get; }
}
