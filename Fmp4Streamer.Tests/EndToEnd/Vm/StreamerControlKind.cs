namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>The shapes of a control line in the daemon's <c>-l</c>.</summary>
internal enum StreamerControlKind
{
    /// <summary><c>name = 5\t( default: 0 min: 0 max: 9 step: 2)</c>: integer and boolean controls.</summary>
    Integer,

    /// <summary><c>name = Label\t( default: Label values: 'A' 'B' )</c>.</summary>
    Menu,

    /// <summary><c>name = 5\t( default: 3 values: 2 3 5 )</c>.</summary>
    IntegerMenu,

    /// <summary><c>Raw Name = </c>: types the reference cannot show (button, int64, string, arrays, …).</summary>
    Other,
}
