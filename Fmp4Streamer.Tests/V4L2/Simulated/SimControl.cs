namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>One control of the simulated driver, with the kernel control framework's validation rules.</summary>
public sealed class SimControl
{
    public required uint Id { get; init; }
    public required uint Type { get; init; }
    public required string Name { get; init; }
    public long Minimum { get; init; }
    public long Maximum { get; init; }
    public ulong Step { get; init; } = 1;
    public long Default { get; init; }
    public uint Flags { get; set; }
    public long Value { get; set; }
    public string Text { get; set; } = "";

    /// <summary>Menu item names by index (menus) or values by index (integer menus); missing indices are gaps.</summary>
    public SortedDictionary<uint, string> MenuNames { get; init; } = new();
    public SortedDictionary<uint, long> MenuValues { get; init; } = new();

    /// <summary>When non-zero, writes fail with this errno (a busy or confused device).</summary>
    public int FailWith { get; set; }

    /// <summary>Successful writes (buttons: presses).</summary>
    public int Writes { get; set; }

    /// <summary>Runs after a successful write, e.g. to make a dependent control (in)active.</summary>
    public Action<SimulatedV4l2Driver, long>? OnWrite { get; init; }
}
