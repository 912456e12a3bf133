using System.Buffers.Binary;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// One config-settable field of an extension unit control: its key, byte offset and size in the control's data, the
/// probe hint bit it needs (H.264 XU) and, for menus, the labels the config uses.
/// </summary>
public sealed record UvcxControl(string Name, int Offset, int Size, ushort Hint, IReadOnlyList<MenuItem> Menu)
{
    public bool IsMenu => Menu.Count > 0;

    public long Read(ReadOnlySpan<byte> data) => Size switch
    {
        1 => data[Offset],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(data.Slice(Offset)),
        _ => BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(Offset)),
    };

    public void Write(Span<byte> data, long value)
    {
        switch (Size)
        {
            case 1: data[Offset] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(data.Slice(Offset), (ushort)value); break;
            default: BinaryPrimitives.WriteUInt32LittleEndian(data.Slice(Offset), (uint)value); break;
        }
    }

    /// <summary>The largest value the field can hold.</summary>
    public long FieldMax => Size == 4 ? uint.MaxValue : (1L << (8 * Size)) - 1;

    public string Describe(long value)
    {
        foreach (var item in Menu)
            if (item.Value == value) return item.Name;
        return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public MenuItem? FindLabel(string label)
    {
        foreach (var item in Menu)
            if (item.Name == label) return item;
        return null;
    }

    /// <summary>A fixed menu of (value, label) pairs; the index is the position.</summary>
    public static MenuItem[] MenuOf(params (long Value, string Label)[] items)
    {
        var menu = new MenuItem[items.Length];
        for (int i = 0; i < items.Length; i++) menu[i] = new MenuItem((uint)i, items[i].Label, items[i].Value);
        return menu;
    }
}
