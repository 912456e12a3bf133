using Fmp4Streamer.H264;

namespace Fmp4Streamer.Streaming;

/// <summary>What the hub needs to know of one access unit before muxing it, from one pass over its NAL headers.</summary>
public readonly struct AccessUnitInfo
{
    private AccessUnitInfo(bool hasPicture, bool isKeyFrame, bool hasParameterSets)
    {
        HasPicture = hasPicture;
        IsKeyFrame = isKeyFrame;
        HasParameterSets = hasParameterSets;
    }

    /// <summary>At least one slice: the unit becomes an MP4 sample. Lone SPS/PPS buffers do not.</summary>
    public bool HasPicture { get; }

    /// <summary>An IDR slice: a decoder can start here.</summary>
    public bool IsKeyFrame { get; }

    public bool HasParameterSets { get; }

    public static AccessUnitInfo Scan(ReadOnlySpan<byte> annexB)
    {
        bool picture = false, idr = false, parameterSets = false;
        foreach (var nal in AnnexB.EnumerateNals(annexB))
        {
            switch ((NalUnitType)(nal[0] & 0x1F))
            {
                case NalUnitType.Idr: picture = idr = true; break;
                case NalUnitType.Slice: picture = true; break;
                case NalUnitType.Sps:
                case NalUnitType.Pps: parameterSets = true; break;
            }
        }
        return new AccessUnitInfo(picture, idr, parameterSets);
    }
}
