using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// The -l block of a stream's sound card, shaped like a V4L2 device's: Device/Name/Driver, then "Mixer controls"
/// with one line per control under its config key. A value shared by every channel is shown once, else one per
/// channel separated by commas.
/// </summary>
public static class MixerLister
{
    public static void Print(TextWriter output, string audio, MixerDevice device, IReadOnlyList<MixerControl> controls)
    {
        var sb = new StringBuilder();
        sb.Append("Device: ").Append(device.Path).Append(" (audio = ").Append(audio).Append(")\n");
        sb.Append("Name: ").Append(device.CardName).Append('\n');
        sb.Append("Driver: ").Append(device.Driver).Append('\n');
        sb.Append('\n').Append("Mixer controls").Append('\n');
        foreach (var c in controls) sb.Append(FormatLine(c)).Append('\n');
        output.Write(sb.ToString());
    }

    public static string FormatLine(MixerControl c)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c.Key).Append(" = ");
        bool same = true;
        for (int i = 1; i < c.Values.Length; i++) same &= c.Values[i] == c.Values[0];
        for (int i = 0; i < (same ? Math.Min(1, c.Values.Length) : c.Values.Length); i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append(ValueText(c, c.Values[i]));
        }
        sb.Append("\t( ");
        switch (c.Type)
        {
            case MixerControlType.Integer:
                sb.Append("min: ").Append(c.Minimum.ToString(inv)).Append(" max: ").Append(c.Maximum.ToString(inv));
                if (c.Step != 1) sb.Append(" step: ").Append(c.Step.ToString(inv));
                break;
            case MixerControlType.Boolean:
                sb.Append("values: off on");
                break;
            default:
                sb.Append("values:");
                foreach (string item in c.Items) sb.Append(" '").Append(item).Append('\'');
                break;
        }
        if (c.Channels > 1) sb.Append(" channels: ").Append(c.Channels.ToString(inv));
        if (!c.IsWritable) sb.Append(" read-only");
        if (c.IsInactive) sb.Append(" inactive");
        return sb.Append(')').ToString();
    }

    /// <summary>A value as a config line writes it: on/off, an item's name, or the number.</summary>
    public static string ValueText(MixerControl c, long v) => c.Type switch
    {
        MixerControlType.Boolean => v != 0 ? "on" : "off",
        MixerControlType.Enumerated when v >= 0 && v < c.Items.Count => c.Items[(int)v],
        _ => v.ToString(CultureInfo.InvariantCulture),
    };
}
