namespace Fmp4Streamer.Aac;

/// <summary>
/// The highest frequency coded for a bitrate: the fewer bits per channel, the lower, so the bits go where hearing
/// is keenest. The bench compares against ffmpeg's `aac`, which cuts at these frequencies too, so the SNR figures
/// compare the same band.
/// </summary>
internal static class Bandwidth
{
    public static int CutoffHz(int bitrate, int channels, int sampleRate)
    {
        int perChannel = bitrate / channels;
        int cutoff = Math.Max(perChannel / 5, perChannel * 15 / 32 - 5500);
        cutoff = Math.Min(cutoff, Math.Min(3000 + perChannel / 4, 12000 + perChannel / 16));
        return Math.Min(Math.Min(cutoff, 22000), sampleRate / 2);
    }
}
