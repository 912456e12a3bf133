using Fmp4Streamer.Alsa;
using Fmp4Streamer.Http.Settings;

namespace Fmp4Streamer.Settings;

/// <summary>
/// The microphone's sound card in controls.json, shaped like a V4L2 device so the panel needs nothing of its own: role
/// "microphone", one class with every mixer control under its config key (as -l prints it), booleans as switches,
/// enumerated controls as menus of their items. The value is the first channel's; a request sets every channel.
/// </summary>
public static class MixerDescriptions
{
    public const string Role = "microphone";
    public const string ClassName = "Mixer Controls";

    internal static void Write(JsonWriter json, MixerSession session)
    {
        json.BeginObject();
        json.String("role", Role);
        json.String("path", session.Path ?? "");
        json.String("section", session.Microphone.Section);
        json.String("audio", session.Microphone.Audio);
        if (session.Device is { } device)
        {
            json.String("card", device.CardName);
            json.String("driver", device.Driver);
        }
        json.Bool("live", session.Device is not null);
        if (session.Error is not null) json.String("error", session.Error);
        json.BeginArray("classes");
        if (session.Controls.Count > 0)
        {
            json.BeginObject().String("name", ClassName).BeginArray("controls");
            foreach (var c in session.Controls) WriteControl(json, c);
            json.EndArray().EndObject();
        }
        json.EndArray();
        json.EndObject();
    }

    private static void WriteControl(JsonWriter json, MixerControl c)
    {
        json.BeginObject();
        json.String("name", c.Key).String("key", c.Key).String("label", c.Name);
        json.String("type", TypeName(c.Type));
        json.Number("min", c.Minimum).Number("max", c.Maximum).Number("step", c.Step);
        if (c.Values.Length > 0) json.Number("value", c.Values[0]);
        else json.Null("value");
        json.Number("channels", c.Channels);
        json.Bool("read_only", !c.IsWritable).Bool("inactive", c.IsInactive).Bool("write_only", false).Bool("volatile", false);
        json.Bool("needs_restart", false);
        if (c.Type == MixerControlType.Enumerated)
        {
            json.BeginArray("menu");
            for (int i = 0; i < c.Items.Count; i++) json.BeginObject().Number("index", i).String("label", c.Items[i]).EndObject();
            json.EndArray();
        }
        json.EndObject();
    }

    public static string TypeName(MixerControlType type) => type switch
    {
        MixerControlType.Boolean => "boolean",
        MixerControlType.Enumerated => "menu",
        _ => "integer",
    };
}
