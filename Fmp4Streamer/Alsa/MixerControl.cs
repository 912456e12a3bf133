namespace Fmp4Streamer.Alsa;

/// <summary>
/// One mixer control of a sound card as the control interface describes it: its numeric id, the name the driver
/// gives it and the config key made from that name, its range (items for an enumerated one) and a value per channel.
/// </summary>
public sealed class MixerControl
{
    public required uint NumId { get; init; }

    /// <summary>The driver's name, such as "Mic Capture Volume".</summary>
    public required string Name { get; init; }

    /// <summary>The driver's index: cards with two of the same name number them 0, 1, ...</summary>
    public uint Index { get; init; }

    /// <summary>The config key: <see cref="MixerNames.Prefix"/> and the normalised name (mixer_mic_capture_volume).</summary>
    public required string Key { get; init; }

    public required MixerControlType Type { get; init; }
    public long Minimum { get; init; }
    public long Maximum { get; init; }

    /// <summary>At least 1 (the kernel's 0 means "any step").</summary>
    public long Step { get; init; } = 1;

    /// <summary>The item names of an enumerated control, by index.</summary>
    public IReadOnlyList<string> Items { get; init; } = Array.Empty<string>();

    /// <summary>One value per channel (an enumerated control's are item indices); empty when it cannot be read.</summary>
    public long[] Values { get; set; } = Array.Empty<long>();

    public required int Channels { get; init; }
    public bool IsWritable { get; init; } = true;
    public bool IsInactive { get; init; }
}
