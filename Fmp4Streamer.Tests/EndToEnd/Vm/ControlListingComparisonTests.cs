using System.Text;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The comparison the VM test applies to the daemon's <c>-l</c>, checked without a VM on vivid's real
/// listing (tests/vm/fixtures, captured in the rig): a faithful reference-format rendering of it matches,
/// and each kind of deviation is reported.
/// </summary>
public class ControlListingComparisonTests
{
    private static string VividListing =>
        File.ReadAllText(Path.Combine(VmRig.RigDir, "fixtures", "vivid-6.1-list-ctrls-menus.txt"));

    /// <summary>Renders v4l2-ctl's listing the way the reference's -l prints it (compatibility §1).</summary>
    private static string Render(string v4l2Ctl)
    {
        var (controls, _) = V4l2CtlListing.Parse(v4l2Ctl);
        var sb = new StringBuilder("Device: /dev/video0\nName: vivid\nDriver: vivid\n\nControls\n");
        string cls = "";
        foreach (V4l2CtlControl c in controls)
        {
            if (c.ControlClass != cls)
            {
                cls = c.ControlClass;
                sb.Append('\n').Append(cls).Append("\n\n");
            }
            switch (c.Type)
            {
                case "int":
                case "bool":
                    long step = c.Type == "bool" ? 1 : c.Field("step");
                    sb.Append($"{c.Name} = {c.Fields["value"]}\t( default: {c.Fields["default"]} min: {(c.Type == "bool" ? 0 : c.Field("min"))} max: {(c.Type == "bool" ? 1 : c.Field("max"))}{(step != 1 ? $" step: {step}" : "")})\n");
                    break;
                case "menu":
                case "intmenu":
                    string q = c.Type == "menu" ? "'" : "";
                    sb.Append($"{c.Name} = {c.MenuItems[c.Field("value")]}\t( default: {c.MenuItems[c.Field("default")]} values: ");
                    foreach (string item in c.MenuItems.Values) sb.Append(q).Append(item).Append(q).Append(' ');
                    sb.Append(")\n");
                    break;
                default:
                    sb.Append(c.Name.Replace('_', ' ')).Append(" = \n");
                    break;
            }
        }
        sb.Append("\nTo set one, put ctrl_name = Value into fmp4streamer.conf under the device\n");
        return sb.ToString();
    }

    [Test]
    public void ParsesEveryVividControl()
    {
        var (controls, classes) = V4l2CtlListing.Parse(VividListing);
        Assert.That(classes, Is.EqualTo(new[] { "User Controls", "Digital Video Controls", "Vivid Controls" }));
        Assert.That(controls, Has.Count.EqualTo(70));
        V4l2CtlControl menu = controls.Single(c => c.Name == "menu");
        Assert.That(menu.MenuItems.Keys, Is.EqualTo(new long[] { 1, 3, 4 }), "vivid's menu skips item 2");
        V4l2CtlControl intMenu = controls.Single(c => c.Name == "integer_menu");
        Assert.That(intMenu.MenuItems[intMenu.Field("value")], Is.EqualTo("5"));
        Assert.That(controls.Single(c => c.Name == "gain").Flags, Is.EqualTo(new[] { "inactive", "volatile" }));
    }

    [Test]
    public void FaithfulListingHasNoDifferences()
    {
        Assert.That(ControlListingComparison.Differences(VividListing, Render(VividListing)), Is.Empty);
    }

    private static IEnumerable<TestCaseData> Deviations()
    {
        yield return new TestCaseData("brightness = 128\t( default: 128 min: 0 max: 255)\n", "", "brightness (int): missing");
        yield return new TestCaseData("brightness = 128\t", "brightness = 127\t", "brightness: value is '127'");
        yield return new TestCaseData("hue = 0\t( default: 0 min: -128", "hue = 0\t( default: 0 min: -127", "hue: min is '-127'");
        yield return new TestCaseData("'Menu Item 1' 'Menu Item 3'", "'Menu Item 1' 'Menu Item 2' 'Menu Item 3'", "menu: items");
        yield return new TestCaseData("integer_menu = 5\t", "integer_menu = 4\t", "integer_menu: value is '4'");
        yield return new TestCaseData("\nVivid Controls\n", "\n", "class header 'Vivid Controls' missing");
        yield return new TestCaseData("button = \n", "button = 0\t( default: 0 min: 0 max: 1)\n", "button (button): printed as Integer");
    }

    [TestCaseSource(nameof(Deviations))]
    public void DeviationIsReported(string from, string to, string expected)
    {
        string listing = Render(VividListing);
        Assert.That(listing, Does.Contain(from), "the deviation must apply");
        List<string> diffs = ControlListingComparison.Differences(VividListing, listing.Replace(from, to));
        Assert.That(diffs, Has.Some.StartsWith(expected), string.Join("\n", diffs));
    }

    [Test]
    public void ParsesTheReferenceExampleLines()
    {
        const string Text = "Controls\nbrightness = 128\t( default: 128 min: 0 max: 255)\n" +
                            "pan_absolute = 0\t( default: 0 min: -36000 max: 36000 step: 3600)\n" +
                            "power_line_frequency = 50 Hz\t( default: 60 Hz values: 'Disabled' '50 Hz' '60 Hz' )\n" +
                            "Integer 64 Bits = \n";
        var (controls, headers) = StreamerControlListing.Parse(Text);
        Assert.That(headers, Is.EqualTo(new[] { "Controls" }));
        Assert.That(controls[1], Is.EqualTo(controls[1] with { Min = -36000, Max = 36000, Step = 3600, Current = "0" }));
        Assert.That(controls[2].Kind, Is.EqualTo(StreamerControlKind.Menu));
        Assert.That(controls[2].Current, Is.EqualTo("50 Hz"));
        Assert.That(controls[2].Default, Is.EqualTo("60 Hz"));
        Assert.That(controls[2].Items, Is.EqualTo(new[] { "Disabled", "50 Hz", "60 Hz" }));
        Assert.That(controls[3].Kind, Is.EqualTo(StreamerControlKind.Other));
        Assert.That(ControlNameKey.Of(controls[3].Name), Is.EqualTo(ControlNameKey.Of("integer_64_bits")));
    }
}
