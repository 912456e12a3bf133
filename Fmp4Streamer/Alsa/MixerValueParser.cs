using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// Turns a config string into a mixer value by the control's type: an integer in range (or "NN%" of the range,
/// rounded to the step), a boolean as yes/no/on/off/1/0, an enumerated control by item name. As for V4L2 controls,
/// a value the control cannot take is refused with what it accepts, not clamped.
/// </summary>
public static class MixerValueParser
{
    public static long Parse(MixerControl c, MixerSetting s, string device)
    {
        string v = s.Value.Trim();
        string where = $"{s.Location}: {s.Key} = {s.Value}";
        if (!c.IsWritable) throw new MixerException($"{where}: '{c.Name}' of {device} is read-only");
        switch (c.Type)
        {
            case MixerControlType.Integer:
                if (v.EndsWith('%'))
                {
                    if (!double.TryParse(v.AsSpan(0, v.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double percent)
                        || percent > 100)
                        throw new MixerException($"{where} is not a percentage from 0% to 100%");
                    long raw = c.Minimum + (long)Math.Round(percent / 100 * (c.Maximum - c.Minimum), MidpointRounding.AwayFromZero);
                    long snapped = c.Minimum + (long)Math.Round((double)(raw - c.Minimum) / c.Step, MidpointRounding.AwayFromZero) * c.Step;
                    return snapped > c.Maximum ? snapped - c.Step : snapped;
                }
                if (!long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
                    throw new MixerException($"{where} is not an integer or a percentage; {device} accepts {Range(c)}");
                if (n < c.Minimum || n > c.Maximum || (n - c.Minimum) % c.Step != 0)
                    throw new MixerException($"{where} is out of range; {device} accepts {Range(c)}");
                return n;

            case MixerControlType.Boolean:
                switch (v.ToLowerInvariant())
                {
                    case "1" or "yes" or "true" or "on": return 1;
                    case "0" or "no" or "false" or "off": return 0;
                }
                throw new MixerException($"{where} is not a boolean; use yes, no, on, off, 1 or 0");

            default:
                for (int i = 0; i < c.Items.Count; i++)
                    if (c.Items[i] == v) return i;
                int found = -1;
                for (int i = 0; i < c.Items.Count; i++)
                    if (string.Equals(c.Items[i], v, StringComparison.OrdinalIgnoreCase)) found = found < 0 ? i : -2;
                if (found >= 0) return found;
                throw new MixerException($"{where} is not one of the items; valid values: {ItemList(c)}");
        }
    }

    private static string Range(MixerControl c)
    {
        string range = $"{c.Minimum} to {c.Maximum} or 0% to 100%";
        return c.Step > 1 ? $"{c.Minimum} to {c.Maximum} in steps of {c.Step}, or 0% to 100%" : range;
    }

    private static string ItemList(MixerControl c)
    {
        var sb = new StringBuilder();
        foreach (string item in c.Items)
        {
            if (sb.Length > 0) sb.Append(", ");
            sb.Append('\'').Append(item).Append('\'');
        }
        return sb.ToString();
    }
}
