namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// One control as <c>v4l2-ctl --list-ctrls-menus</c> prints it: its name (v4l2-ctl's variable form), type
/// (int, bool, menu, intmenu, int64, button, str, bitmask, u8, u16, u32, area, …), the key=value fields
/// (min, max, step, default, value), flags, and menu items by index (an integer menu's item is its value).
/// </summary>
internal sealed record V4l2CtlControl(
    string Name,
    uint Id,
    string Type,
    string ControlClass,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<string> Flags,
    SortedDictionary<long, string> MenuItems)
{
    public long Field(string key) => long.Parse(Fields[key]);

    public bool HasFlag(string flag) => Flags.Contains(flag);

    public bool IsScalar => Type is "int" or "bool" or "menu" or "intmenu";
}
