using System.Globalization;
using Fmp4Streamer.Alsa;

namespace Fmp4Streamer.Settings;

/// <summary>
/// A value from a settings request for a mixer control. As for V4L2 controls, an integer out of range is clamped
/// (and one off the step rounded to the nearest step, which the card would refuse), as a slider would; the answer
/// reports it. Anything else is read as a config line is: a percentage, on/off, an item's name (or its index).
/// </summary>
public static class MixerRequestValue
{
    public static bool TryParse(MixerControl c, string raw, string device, out long value, out bool clamped, out string error)
    {
        value = 0;
        clamped = false;
        error = "";
        string v = raw.Trim();
        if (c.Type == MixerControlType.Integer && long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n))
        {
            long bounded = Math.Clamp(n, c.Minimum, c.Maximum);
            long snapped = c.Minimum + (long)Math.Round((double)(bounded - c.Minimum) / c.Step, MidpointRounding.AwayFromZero) * c.Step;
            if (snapped > c.Maximum) snapped -= c.Step;
            value = snapped;
            clamped = snapped != n;
            return true;
        }
        if (c.Type == MixerControlType.Enumerated && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && index < c.Items.Count && !HasItem(c, v))
        {
            v = c.Items[index];
        }
        try
        {
            value = MixerValueParser.Parse(c, new MixerSetting(c.Key, v, "request"), device);
            return true;
        }
        catch (MixerException e)
        {
            // The parser names a config location; the request has none.
            error = e.Message.StartsWith("request: ", StringComparison.Ordinal) ? e.Message["request: ".Length..] : e.Message;
            return false;
        }
    }

    private static bool HasItem(MixerControl c, string name)
    {
        foreach (string item in c.Items)
            if (item == name) return true;
        return false;
    }
}
