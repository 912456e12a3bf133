namespace Fmp4Streamer.V4L2;

/// <summary>The settings a device gets on every open, changed while the daemon runs (settings over HTTP, reload).</summary>
public static class ControlSettingList
{
    /// <summary>Replaces the setting of the same key, or appends it: the last value set is the one applied next time.</summary>
    public static void Remember(List<ControlSetting> settings, ControlSetting setting)
    {
        for (int i = 0; i < settings.Count; i++)
        {
            if (settings[i].Key != setting.Key) continue;
            settings[i] = setting;
            return;
        }
        settings.Add(setting);
    }
}
