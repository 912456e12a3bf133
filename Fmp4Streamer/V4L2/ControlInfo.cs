using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>What the driver reported about one control, plus its current value for the scalar types.</summary>
public sealed class ControlInfo
{
    public required uint Id { get; init; }
    public required uint Type { get; init; }

    /// <summary>The driver's name ("White Balance Temperature, Auto").</summary>
    public required string RawName { get; init; }

    /// <summary>The config key ("white_balance_temperature_auto"), compatibility §1.</summary>
    public required string Name { get; init; }

    public required long Minimum { get; init; }
    public required long Maximum { get; init; }
    public required ulong Step { get; init; }
    public required long Default { get; init; }
    public uint Flags { get; set; }
    public IReadOnlyList<MenuItem> Menu { get; init; } = Array.Empty<MenuItem>();

    /// <summary>The current value (menus: the item index) for integer, boolean, menu, integer-menu and 64-bit controls; null when unread.</summary>
    public long? Value { get; set; }

    public bool IsClass => Type == V4L2_CTRL_TYPE_CTRL_CLASS;
    public bool IsMenu => Type == V4L2_CTRL_TYPE_MENU || Type == V4L2_CTRL_TYPE_INTEGER_MENU;
    public bool IsDisabled => (Flags & V4L2_CTRL_FLAG_DISABLED) != 0;
    public bool IsReadOnly => (Flags & V4L2_CTRL_FLAG_READ_ONLY) != 0;
    public bool IsWriteOnly => (Flags & V4L2_CTRL_FLAG_WRITE_ONLY) != 0;
    public bool IsInactive => (Flags & V4L2_CTRL_FLAG_INACTIVE) != 0;
    public bool IsVolatile => (Flags & V4L2_CTRL_FLAG_VOLATILE) != 0;

    /// <summary>The types -l shows with value and range, and whose names are normalised (compatibility §1).</summary>
    public bool IsScalar => Type is V4L2_CTRL_TYPE_INTEGER or V4L2_CTRL_TYPE_BOOLEAN or V4L2_CTRL_TYPE_MENU or V4L2_CTRL_TYPE_INTEGER_MENU;

    public MenuItem? FindItem(long index)
    {
        foreach (var item in Menu)
            if (item.Index == index) return item;
        return null;
    }
}
