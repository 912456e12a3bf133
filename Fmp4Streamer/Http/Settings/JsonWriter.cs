using System.Globalization;
using System.Text;

namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// Writes JSON text by hand (no reflection, so trimming and NativeAOT keep it): objects, arrays, strings escaped
/// as RFC 8259 section 7 requires, integers and booleans. Commas are placed by the writer.
/// </summary>
public sealed class JsonWriter
{
    private readonly StringBuilder _sb = new();
    // One entry per open object or array: whether a value was written in it yet.
    private readonly Stack<bool> _hasItem = new();
    private bool _afterName;

    public JsonWriter BeginObject(string? name = null) => Open(name, '{');
    public JsonWriter EndObject() => Close('}');
    public JsonWriter BeginArray(string? name = null) => Open(name, '[');
    public JsonWriter EndArray() => Close(']');

    public JsonWriter String(string name, string? value) => Name(name).String(value);
    public JsonWriter Number(string name, long value) => Name(name).Number(value);
    public JsonWriter Bool(string name, bool value) => Name(name).Bool(value);
    public JsonWriter Null(string name) => Name(name).Raw("null");

    public JsonWriter String(string? value)
    {
        if (value is null) return Raw("null");
        Separate();
        Escape(_sb, value);
        return this;
    }

    public JsonWriter Number(long value) => Raw(value.ToString(CultureInfo.InvariantCulture));
    public JsonWriter Bool(bool value) => Raw(value ? "true" : "false");

    public JsonWriter Name(string name)
    {
        Separate();
        Escape(_sb, name);
        _sb.Append(':');
        _afterName = true;
        return this;
    }

    public override string ToString() => _sb.ToString();

    public byte[] ToUtf8() => Encoding.UTF8.GetBytes(_sb.ToString());

    private JsonWriter Open(string? name, char bracket)
    {
        if (name is not null) Name(name);
        Separate();
        _sb.Append(bracket);
        _hasItem.Push(false);
        return this;
    }

    private JsonWriter Close(char bracket)
    {
        _hasItem.Pop();
        _sb.Append(bracket);
        return this;
    }

    private JsonWriter Raw(string text)
    {
        Separate();
        _sb.Append(text);
        return this;
    }

    private void Separate()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }
        if (_hasItem.Count == 0) return;
        if (_hasItem.Peek()) _sb.Append(',');
        else
        {
            _hasItem.Pop();
            _hasItem.Push(true);
        }
    }

    /// <summary>Quotes <paramref name="value"/>; '&lt;' is escaped too so the text can sit inside a page's script.</summary>
    public static void Escape(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<': sb.Append("\\u003c"); break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
