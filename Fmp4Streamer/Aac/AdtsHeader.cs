namespace Fmp4Streamer.Aac;

/// <summary>
/// The 7-byte ADTS header (ISO/IEC 14496-3, 1.A.2) that turns raw access units into a `.aac` file players and
/// ffmpeg read: MPEG-4, no CRC, AAC-LC, one raw data block per frame.
/// </summary>
public static class AdtsHeader
{
    public const int Size = 7;

    /// <summary>Writes the header of an access unit of <paramref name="accessUnitBytes"/> bytes.</summary>
    public static void Write(Span<byte> header, ReadOnlySpan<byte> audioSpecificConfig, int accessUnitBytes)
    {
        int objectType = audioSpecificConfig[0] >> 3;
        int frequencyIndex = ((audioSpecificConfig[0] & 7) << 1) | (audioSpecificConfig[1] >> 7);
        int channels = (audioSpecificConfig[1] >> 3) & 15;
        int frameLength = accessUnitBytes + Size;
        if (frameLength > 0x1FFF) throw new ArgumentOutOfRangeException(nameof(accessUnitBytes));
        const int bufferFullnessVariable = 0x7FF;
        header[0] = 0xFF;
        header[1] = 0xF1; // sync, MPEG-4, layer 0, protection absent
        header[2] = (byte)(((objectType - 1) << 6) | (frequencyIndex << 2) | (channels >> 2));
        header[3] = (byte)(((channels & 3) << 6) | (frameLength >> 11));
        header[4] = (byte)(frameLength >> 3);
        header[5] = (byte)(((frameLength & 7) << 5) | (bufferFullnessVariable >> 6));
        header[6] = (byte)((bufferFullnessVariable & 0x3F) << 2);
    }
}
