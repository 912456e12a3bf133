using System.Text;

namespace Fmp4Streamer.V4L2;

/// <summary>V4L2 four-character codes: "H264" &lt;-&gt; v4l2_fourcc('H','2','6','4').</summary>
public static class FourCc
{
    public static uint Parse(string text)
    {
        if (text.Length != 4) throw new V4l2Exception($"'{text}' is not a four-character code");
        return (uint)text[0] | (uint)text[1] << 8 | (uint)text[2] << 16 | (uint)text[3] << 24;
    }

    public static string ToText(uint fourcc)
    {
        var sb = new StringBuilder(4);
        for (int i = 0; i < 4; i++)
        {
            char c = (char)(fourcc >> (8 * i) & 0xFF);
            sb.Append(c is >= ' ' and <= '~' ? c : '?');
        }
        return sb.ToString().TrimEnd();
    }
}
