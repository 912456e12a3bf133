using System.Globalization;
using System.Text;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>The -l line of an extension unit control (compatibility §1): integers with default/min/max, menus with their labels.</summary>
public static class UvcxListing
{
    public static string Line(UvcxControl c, long value, long def, long min, long max)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(c.Name).Append(" = ");
        if (!c.IsMenu)
        {
            return sb.Append(value.ToString(inv)).Append("\t( default: ").Append(def.ToString(inv))
                .Append(" min: ").Append(min.ToString(inv)).Append(" max: ").Append(max.ToString(inv)).Append(')').ToString();
        }
        sb.Append(c.Describe(value)).Append("\t( ");
        foreach (var item in c.Menu)
        {
            if (item.Value != def) continue;
            sb.Append("default: ").Append(item.Name).Append(' ');
            break;
        }
        sb.Append("values: ");
        foreach (var item in c.Menu) sb.Append(PythonRepr.Ascii(item.Name)).Append(' ');
        return sb.Append(')').ToString();
    }
}
