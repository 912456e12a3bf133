using System.Text;

namespace Fmp4Streamer.V4L2;

/// <summary>Driver control names to config keys, exactly as the reference does (compatibility §1).</summary>
public static class ControlNames
{
    /// <summary>
    /// Lower-case; space and '-' become '_'; ',', '&amp;', '(', '.', ')' are dropped; then one left-to-right pass
    /// replaces "__" with "_" (so "___" becomes "__", as Python's str.replace does).
    /// </summary>
    public static string Normalise(string driverName)
    {
        var sb = new StringBuilder(driverName.Length);
        foreach (char ch in driverName)
        {
            char c = char.ToLowerInvariant(ch);
            switch (c)
            {
                case ' ' or '-': sb.Append('_'); break;
                case ',' or '&' or '(' or '.' or ')': break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString().Replace("__", "_", StringComparison.Ordinal);
    }
}
