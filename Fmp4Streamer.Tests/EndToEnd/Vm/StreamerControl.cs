namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// One control line of the daemon's <c>-l</c> (reference format, compatibility §1): integer/boolean lines carry
/// default/min/max/step, menu and integer-menu lines the default and the items; other types only a name.
/// Current and Default are the printed text (a number, or a menu item's label).
/// </summary>
internal sealed record StreamerControl(
    string Name,
    StreamerControlKind Kind,
    string? Current,
    string? Default,
    long? Min,
    long? Max,
    long Step,
    IReadOnlyList<string> Items);
