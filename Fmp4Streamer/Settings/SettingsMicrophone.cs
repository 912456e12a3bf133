using Fmp4Streamer.Alsa;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Settings;

/// <summary>
/// The sound card of a camera's <c>audio = hw:...</c> device as the settings see it: where its control node is now,
/// the section its mixer keys are written in, and where a changed value is kept for the next capture open.
/// </summary>
public sealed class SettingsMicrophone
{
    /// <summary>The audio key's value, for messages.</summary>
    public required string Audio { get; init; }

    /// <summary>The camera's section, which holds the audio key and its mixer keys.</summary>
    public required string Section { get; init; }

    public required ILinuxIo Io { get; init; }

    /// <summary>/dev/snd/controlC&lt;N&gt; of the card now; null while a card named by its id is not plugged in.</summary>
    public required Func<string?> ControlPath { get; init; }

    /// <summary>Records a changed value for every later capture open.</summary>
    public required Action<MixerSetting> Remember { get; init; }
}
