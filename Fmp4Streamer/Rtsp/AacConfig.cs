namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The AAC track of an init segment as RTSP describes it: the AudioSpecificConfig from the mp4a's esds box
/// (ISO/IEC 14496-1 7.2.6.5-7.2.6.7), its sample rate (the RTP clock) and channel count.
/// </summary>
public sealed class AacConfig
{
    private const byte EsDescriptorTag = 0x03, DecoderConfigTag = 0x04, DecoderSpecificInfoTag = 0x05;

    // Sampling frequency index of the AudioSpecificConfig (14496-3 1.6.3.4).
    private static readonly int[] Rates = { 96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350 };

    public AacConfig(byte[] audioSpecificConfig, int sampleRate, int channels)
    {
        AudioSpecificConfig = audioSpecificConfig;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public byte[] AudioSpecificConfig { get; }
    public int SampleRate { get; }
    public int Channels { get; }

    /// <summary>The audio track's configuration, or null when the init segment has none (or one this cannot read).</summary>
    public static AacConfig? FromInitSegment(ReadOnlySpan<byte> init)
    {
        int at = init.IndexOf("esds"u8);
        if (at < 4) return null;
        uint size = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(init[(at - 4)..]);
        if (size < 12 || at - 4 + size > init.Length) return null;
        var body = init.Slice(at + 8, (int)size - 12); // after type and version/flags
        if (!TryDescriptor(body, EsDescriptorTag, out var es) || es.Length < 3) return null;
        int skip = 3; // ES_ID, flags
        byte flags = es[2];
        if ((flags & 0x80) != 0) skip += 2; // dependsOn_ES_ID
        if ((flags & 0x40) != 0)
        {
            if (es.Length <= skip) return null;
            skip += 1 + es[skip]; // URL
        }
        if ((flags & 0x20) != 0) skip += 2; // OCR_ES_Id
        if (es.Length < skip || !TryDescriptor(es[skip..], DecoderConfigTag, out var decoderConfig) || decoderConfig.Length < 13) return null;
        if (!TryDescriptor(decoderConfig[13..], DecoderSpecificInfoTag, out var asc) || asc.Length < 2) return null;
        return FromAudioSpecificConfig(asc);
    }

    /// <summary>Reads rate and channels from a plain AudioSpecificConfig (no explicit-rate escape, no extension).</summary>
    public static AacConfig? FromAudioSpecificConfig(ReadOnlySpan<byte> asc)
    {
        if (asc.Length < 2) return null;
        int bits = asc[0] << 8 | asc[1];
        int rateIndex = bits >> 7 & 0xF;
        int channels = bits >> 3 & 0xF;
        if (bits >> 11 == 31 || rateIndex >= Rates.Length || channels is < 1 or > 7) return null;
        return new AacConfig(asc.ToArray(), Rates[rateIndex], channels == 7 ? 8 : channels);
    }

    /// <summary>The body of a descriptor of <paramref name="tag"/> at the start of <paramref name="data"/> (sizes of 1-4 bytes, 7 bits each).</summary>
    private static bool TryDescriptor(ReadOnlySpan<byte> data, byte tag, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (data.Length < 2 || data[0] != tag) return false;
        int length = 0, at = 1;
        for (int i = 0; i < 4; i++)
        {
            if (at >= data.Length) return false;
            byte b = data[at++];
            length = length << 7 | b & 0x7F;
            if ((b & 0x80) == 0) break;
        }
        if (at + length > data.Length) return false;
        body = data.Slice(at, length);
        return true;
    }
}
