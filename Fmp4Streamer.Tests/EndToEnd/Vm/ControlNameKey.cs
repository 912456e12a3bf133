using System.Text;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Matches a control's name across v4l2-ctl (which maps every non-alphanumeric run to '_') and the
/// reference's normalisation (lower-case, space/'-' to '_', drops ",&amp;()."; keeps e.g. the ' of Y'CbCr):
/// the key keeps only lower-cased letters and digits.
/// </summary>
internal static class ControlNameKey
{
    public static string Of(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (char c in name)
        {
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
