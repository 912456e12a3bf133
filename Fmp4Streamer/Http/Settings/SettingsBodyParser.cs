using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// The body of a settings POST: a flat JSON object (RFC 8259) whose values are strings, numbers or booleans, or an
/// application/x-www-form-urlencoded form. Anything else, nested values, duplicate names or bad UTF-8 is an error
/// with a message for the 400 answer.
/// </summary>
public static class SettingsBodyParser
{
    /// <summary>More names than any device has controls.</summary>
    public const int MaxChanges = 256;

    private static readonly UTF8Encoding s_strictUtf8 = new(false, throwOnInvalidBytes: true);

    public enum BodyKind { Json, Form, Unsupported }

    /// <summary>The body format named by Content-Type (parameters such as charset ignored).</summary>
    public static BodyKind KindOf(ReadOnlySpan<byte> contentType)
    {
        int semicolon = contentType.IndexOf((byte)';');
        var type = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim((byte)' ');
        if (Ascii.EqualsIgnoreCase(type, "application/json"u8)) return BodyKind.Json;
        if (Ascii.EqualsIgnoreCase(type, "application/x-www-form-urlencoded"u8)) return BodyKind.Form;
        return BodyKind.Unsupported;
    }

    public static bool TryParse(BodyKind kind, ReadOnlySpan<byte> body, List<SettingChange> changes, out string error)
    {
        string text;
        try
        {
            text = s_strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            error = "the body is not UTF-8";
            return false;
        }
        return kind == BodyKind.Json ? TryParseJson(text, changes, out error) : TryParseForm(text, changes, out error);
    }

    public static bool TryParseForm(string text, List<SettingChange> changes, out string error)
    {
        error = "";
        if (text.Length == 0) return Fail("the form is empty", out error);
        foreach (string pair in text.Split('&'))
        {
            if (pair.Length == 0) continue;
            int eq = pair.IndexOf('=');
            if (eq <= 0) return Fail($"'{Shorten(pair)}' is not name=value", out error);
            if (!TryDecode(pair[..eq], out string key) || !TryDecode(pair[(eq + 1)..], out string value))
                return Fail($"'{Shorten(pair)}' has a bad %-escape", out error);
            if (!Add(changes, key, value, out error)) return false;
        }
        return changes.Count > 0 || Fail("the form is empty", out error);
    }

    private static bool TryDecode(string s, out string decoded)
    {
        decoded = "";
        var bytes = new List<byte>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '+') bytes.Add((byte)' ');
            else if (c == '%')
            {
                if (i + 2 >= s.Length || !byte.TryParse(s.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out byte b)) return false;
                bytes.Add(b);
                i += 2;
            }
            else if (c < 0x80) bytes.Add((byte)c);
            else return false;
        }
        try
        {
            decoded = s_strictUtf8.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public static bool TryParseJson(string text, List<SettingChange> changes, out string error)
    {
        error = "";
        int i = 0;
        SkipSpace(text, ref i);
        if (i >= text.Length || text[i] != '{') return Fail("expected a JSON object such as {\"brightness\": 120}", out error);
        i++;
        SkipSpace(text, ref i);
        if (i < text.Length && text[i] == '}')
        {
            i++;
        }
        else
        {
            while (true)
            {
                SkipSpace(text, ref i);
                if (!TryString(text, ref i, out string key)) return Fail($"expected a quoted name at character {i + 1}", out error);
                SkipSpace(text, ref i);
                if (i >= text.Length || text[i] != ':') return Fail($"expected ':' after \"{Shorten(key)}\"", out error);
                i++;
                SkipSpace(text, ref i);
                if (!TryValue(text, ref i, out string value))
                    return Fail($"the value of \"{Shorten(key)}\" must be a number, a string, true or false", out error);
                if (!Add(changes, key, value, out error)) return false;
                SkipSpace(text, ref i);
                if (i < text.Length && text[i] == ',') { i++; continue; }
                if (i < text.Length && text[i] == '}') { i++; break; }
                return Fail($"expected ',' or '}}' at character {i + 1}", out error);
            }
        }
        SkipSpace(text, ref i);
        if (i != text.Length) return Fail($"unexpected text after the object at character {i + 1}", out error);
        return changes.Count > 0 || Fail("the object is empty", out error);
    }

    private static bool Add(List<SettingChange> changes, string key, string value, out string error)
    {
        error = "";
        if (key.Length == 0) return Fail("an empty name", out error);
        foreach (var c in changes)
            if (c.Key == key) return Fail($"\"{Shorten(key)}\" is given twice", out error);
        if (changes.Count >= MaxChanges) return Fail($"more than {MaxChanges} settings", out error);
        changes.Add(new SettingChange(key, value));
        return true;
    }

    private static bool TryValue(string text, ref int i, out string value)
    {
        value = "";
        if (i >= text.Length) return false;
        char c = text[i];
        if (c == '"') return TryString(text, ref i, out value);
        if (Literal(text, ref i, "true")) { value = "true"; return true; }
        if (Literal(text, ref i, "false")) { value = "false"; return true; }
        // RFC 8259 section 6: -? int frac? exp?; only integers are meaningful here, but a fraction is passed on for its error.
        int start = i;
        if (i < text.Length && text[i] == '-') i++;
        int digits = i;
        while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
        if (i == digits || (text[digits] == '0' && i - digits > 1)) return false;
        if (i < text.Length && text[i] == '.')
        {
            i++;
            int fraction = i;
            while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
            if (i == fraction) return false;
        }
        if (i < text.Length && (text[i] == 'e' || text[i] == 'E')) return false;
        value = text[start..i];
        return true;
    }

    private static bool Literal(string text, ref int i, string word)
    {
        if (string.CompareOrdinal(text, i, word, 0, word.Length) != 0) return false;
        i += word.Length;
        return true;
    }

    private static bool TryString(string text, ref int i, out string value)
    {
        value = "";
        if (i >= text.Length || text[i] != '"') return false;
        var sb = new StringBuilder();
        i++;
        while (i < text.Length)
        {
            char c = text[i++];
            if (c == '"')
            {
                value = sb.ToString();
                return true;
            }
            if (c < 0x20) return false;
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (i >= text.Length) return false;
            char e = text[i++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (i + 4 > text.Length || !ushort.TryParse(text.AsSpan(i, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort u)) return false;
                    sb.Append((char)u);
                    i += 4;
                    break;
                default: return false;
            }
        }
        return false;
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\n' or '\r') i++;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";

    private static bool Fail(string message, out string error)
    {
        error = message;
        return false;
    }
}
