using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// AAC access units made by ffmpeg's encoder (<c>-c:a aac -f adts</c>) with their ADTS headers stripped, and the
/// AudioSpecificConfig those headers describe: real AAC to mux while the stream's own encoder is elsewhere.
/// </summary>
internal sealed class AdtsFrames
{
    private AdtsFrames(List<byte[]> units, byte[] asc, int sampleRate, int channels)
    {
        Units = units;
        AudioSpecificConfig = asc;
        SampleRate = sampleRate;
        Channels = channels;
    }

    public List<byte[]> Units { get; }
    public byte[] AudioSpecificConfig { get; }
    public int SampleRate { get; }
    public int Channels { get; }

    private static readonly int[] Rates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350];

    /// <summary>
    /// Encodes ffmpeg's lavfi <paramref name="source"/> (cached by <paramref name="name"/>) at <paramref name="rate"/>
    /// and <paramref name="channels"/>.
    /// </summary>
    public static AdtsFrames Encode(string name, string source, int rate, int channels, string bitrate = "64k")
    {
        string path = Path.Combine(FfmpegFixtures.CacheDirectory, name + ".aac");
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(FfmpegFixtures.CacheDirectory);
            string temp = path + "." + Environment.ProcessId + ".tmp";
            ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", source, "-ar", rate.ToString(),
                "-ac", channels.ToString(), "-c:a", "aac", "-b:a", bitrate, "-f", "adts", temp]);
            File.Move(temp, path, overwrite: true);
        }
        return Parse(File.ReadAllBytes(path));
    }

    /// <summary>Splits an ADTS stream (ISO/IEC 14496-3 1.A.2) into raw units.</summary>
    public static AdtsFrames Parse(byte[] adts)
    {
        var units = new List<byte[]>();
        int pos = 0, objectType = 0, rateIndex = 0, channelConfig = 0;
        while (pos + 7 <= adts.Length)
        {
            if (adts[pos] != 0xFF || (adts[pos + 1] & 0xF0) != 0xF0) throw new InvalidDataException("lost ADTS sync at " + pos);
            bool protectionAbsent = (adts[pos + 1] & 1) != 0;
            objectType = (adts[pos + 2] >> 6) + 1;
            rateIndex = (adts[pos + 2] >> 2) & 0xF;
            channelConfig = ((adts[pos + 2] & 1) << 2) | (adts[pos + 3] >> 6);
            int length = ((adts[pos + 3] & 3) << 11) | (adts[pos + 4] << 3) | (adts[pos + 5] >> 5);
            int header = protectionAbsent ? 7 : 9;
            units.Add(adts.AsSpan(pos + header, length - header).ToArray());
            pos += length;
        }
        // AudioSpecificConfig: audioObjectType 5 bits, samplingFrequencyIndex 4, channelConfiguration 4, GASpecificConfig 3 zero bits.
        var asc = new[] { (byte)(objectType << 3 | rateIndex >> 1), (byte)((rateIndex & 1) << 7 | channelConfig << 3) };
        return new AdtsFrames(units, asc, Rates[rateIndex], channelConfig);
    }
}
