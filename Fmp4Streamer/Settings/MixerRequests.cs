using Fmp4Streamer.Alsa;
using Fmp4Streamer.Diagnostics;
using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Settings;

/// <summary>
/// A mixer_ key of a settings request: checked against the card's control, written to every channel, read back,
/// remembered for the next capture open and saved in the camera's section. A mixer write is one quick ioctl, so it
/// runs on the loop like the V4L2 controls do.
/// </summary>
internal static class MixerRequests
{
    public static bool TryApply(MixerSession session, SettingChange change, string client, string component,
        List<SettingsFile.Change> saved, JsonWriter json, out string error)
    {
        var microphone = session.Microphone;
        if (session.Device is not { } device)
        {
            error = session.Error ?? $"the sound card of audio = {microphone.Audio} cannot be opened";
            return false;
        }
        string described = $"{session.Path} ({device.CardName})";
        if (session.Find(change.Key) is not MixerControl control)
        {
            error = $"unknown control '{change.Key}': {described} has no such mixer control; controls.json lists the names";
            return false;
        }
        if (!control.IsWritable)
        {
            error = $"'{control.Key}' of {described} is read-only";
            return false;
        }
        if (!MixerRequestValue.TryParse(control, change.Value, described, out long value, out bool clamped, out error)) return false;
        string was = control.Values.Length > 0 ? MixerLister.ValueText(control, control.Values[0]) : "?";
        try
        {
            device.Write(control, value);
        }
        catch (LinuxException e)
        {
            error = $"{described} refused {control.Key} = {change.Value.Trim()}: {LinuxError.Name(e.Errno)}";
            return false;
        }
        bool readBack = control.Values.Length > 0;
        long used = readBack ? control.Values[0] : value;
        // The driver may keep another value than the one written: compare what it kept with what was asked.
        bool adjusted = clamped || used != value;
        string text = MixerLister.ValueText(control, used);
        microphone.Remember(new MixerSetting(control.Key, text, "settings"));
        saved.Add(new SettingsFile.Change(microphone.Section, control.Key, text));

        json.String("name", control.Key).String("device", session.Path).Number("value", used).Bool("clamped", adjusted);
        if (adjusted) json.String("requested", change.Value);
        json.Bool("live", true);
        if (!readBack) json.Bool("read_back", false);
        Log.Info(component, $"{client}: {control.Key} = {text} on {session.Path} (was {was}" + (adjusted ? $", asked {change.Value})" : ")"));
        return true;
    }
}
