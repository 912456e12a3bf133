namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Compares the daemon's <c>-l</c> with <c>v4l2-ctl --list-ctrls-menus</c> of the same device: every control
/// present (matched by <see cref="ControlNameKey"/>), the same current value (unless volatile), default, range,
/// step and menu items; every control class header present; nothing listed that the driver lacks.
/// </summary>
internal static class ControlListingComparison
{
    public static List<string> Differences(string v4l2CtlOutput, string streamerOutput)
    {
        var (expected, classes) = V4l2CtlListing.Parse(v4l2CtlOutput);
        var (actual, headers) = StreamerControlListing.Parse(streamerOutput);
        var diffs = new List<string>();
        var byKey = new Dictionary<string, StreamerControl>();
        foreach (StreamerControl c in actual)
        {
            if (!byKey.TryAdd(ControlNameKey.Of(c.Name), c)) diffs.Add($"{c.Name}: listed twice");
        }
        var expectedKeys = new HashSet<string>();
        foreach (V4l2CtlControl e in expected)
        {
            string key = ControlNameKey.Of(e.Name);
            expectedKeys.Add(key);
            if (!byKey.TryGetValue(key, out StreamerControl? a))
            {
                diffs.Add($"{e.Name} ({e.Type}): missing");
                continue;
            }
            Compare(e, a, diffs);
        }
        foreach (StreamerControl a in actual)
        {
            if (!expectedKeys.Contains(ControlNameKey.Of(a.Name))) diffs.Add($"{a.Name}: not a control of the device");
        }
        foreach (string cls in classes)
        {
            if (!headers.Contains(cls)) diffs.Add($"class header '{cls}' missing");
        }
        return diffs;
    }

    private static void Compare(V4l2CtlControl e, StreamerControl a, List<string> diffs)
    {
        void Check(string what, string? want, string? got)
        {
            if (want != got) diffs.Add($"{e.Name}: {what} is '{got}', v4l2-ctl says '{want}'");
        }
        bool volatileValue = e.HasFlag("volatile");
        switch (e.Type)
        {
            case "int":
            case "bool":
                if (a.Kind != StreamerControlKind.Integer) { diffs.Add($"{e.Name}: printed as {a.Kind}, not as an integer"); return; }
                if (!volatileValue) Check("value", e.Fields["value"], a.Current);
                Check("default", e.Fields["default"], a.Default);
                Check("min", e.Type == "bool" ? "0" : e.Fields["min"], a.Min?.ToString());
                Check("max", e.Type == "bool" ? "1" : e.Fields["max"], a.Max?.ToString());
                Check("step", e.Type == "bool" ? "1" : e.Fields["step"], a.Step.ToString());
                return;
            case "menu":
            case "intmenu":
                var kind = e.Type == "menu" ? StreamerControlKind.Menu : StreamerControlKind.IntegerMenu;
                if (a.Kind != kind) { diffs.Add($"{e.Name}: printed as {a.Kind}, not as {kind}"); return; }
                Check("items", string.Join(" | ", e.MenuItems.Values), string.Join(" | ", a.Items));
                if (!volatileValue) Check("value", e.MenuItems.GetValueOrDefault(e.Field("value")), a.Current);
                Check("default", e.MenuItems.GetValueOrDefault(e.Field("default")), a.Default);
                return;
            default:
                // The reference shows other types by their raw name alone.
                if (a.Kind != StreamerControlKind.Other) diffs.Add($"{e.Name} ({e.Type}): printed as {a.Kind}, expected the name alone");
                return;
        }
    }
}
