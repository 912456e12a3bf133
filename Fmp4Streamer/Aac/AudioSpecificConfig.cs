namespace Fmp4Streamer.Aac;

/// <summary>
/// The AudioSpecificConfig of an AAC-LC stream (ISO/IEC 14496-3, 1.6.2.1), as carried in an MP4 esds box or an SDP
/// `config=` parameter: object type 2, the sampling frequency index, the channel configuration, and a
/// GASpecificConfig saying 1024-sample frames, no core coder, no extension.
/// </summary>
internal static class AudioSpecificConfig
{
    public const int AacLowComplexity = 2;

    public static byte[] Build(int samplingFrequencyIndex, int channels)
    {
        // 5 bits object type, 4 bits frequency index, 4 bits channel configuration, 3 bits GASpecificConfig (zeros).
        int bits = (AacLowComplexity << 11) | (samplingFrequencyIndex << 7) | (channels << 3);
        return [(byte)(bits >> 8), (byte)bits];
    }
}
