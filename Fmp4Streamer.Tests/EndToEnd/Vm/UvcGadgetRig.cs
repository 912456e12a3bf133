namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// The emulated UVC camera's kernel module: tests/vm/setup-uvc.sh builds Debian's usb_f_uvc with a bulk streaming
/// endpoint (dummy_hcd has no isochronous ones) and prints its path; the payload gets it as /bin/usb_f_uvc.ko.
/// </summary>
internal static class UvcGadgetRig
{
    private static readonly Lazy<string> s_module = new(Build);

    /// <summary>The patched usb_f_uvc.ko (built once per test run; seconds when cached).</summary>
    public static string Module => s_module.Value;

    private static string Build()
    {
        VmRig.Setup();
        var values = VmRig.RunSetupScript("setup-uvc.sh");
        Assert.That(values.ContainsKey("UVC_MODULE"), Is.True, "tests/vm/setup-uvc.sh printed no UVC_MODULE");
        return values["UVC_MODULE"];
    }
}
