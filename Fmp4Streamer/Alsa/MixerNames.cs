using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// Mixer control names to config keys: "mixer_" and the driver's name in lower case, every run of other characters
/// than letters and digits one '_' ("Mic Capture Switch" is mixer_mic_capture_switch). The prefix keeps them apart
/// from V4L2 control keys and from the audio_* keys in the same section.
/// </summary>
public static class MixerNames
{
    public const string Prefix = "mixer_";

    /// <summary>The key of control <paramref name="name"/>; a second control of the same name (index 1) ends in _1.</summary>
    public static string Key(string name, uint index)
    {
        var sb = new StringBuilder(Prefix, Prefix.Length + name.Length + 3);
        bool separator = false;
        foreach (char ch in name)
        {
            if (char.IsAsciiLetterOrDigit(ch))
            {
                if (separator && sb.Length > Prefix.Length) sb.Append('_');
                sb.Append(char.ToLowerInvariant(ch));
                separator = false;
            }
            else separator = true;
        }
        if (index > 0) sb.Append('_').Append(index.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    public static bool IsMixerKey(string key) => key.StartsWith(Prefix, StringComparison.Ordinal) && key.Length > Prefix.Length;
}
