using System.Globalization;
using System.Text;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// The extension units of one open camera and its uvcx_* config keys (compatibility §2): keys are checked against the fixed
/// tables whether or not the camera has the unit (a typo is an error everywhere); a camera without the unit gets one
/// warning and the keys are ignored, as the original's sample config sets uvcx_h264_* keys for every camera.
/// </summary>
public sealed class UvcExtensions
{
    public const string KeyPrefix = "uvcx_";
    private const string H264Prefix = "uvcx_h264_";
    private const string LogitechPrefix = "uvcx_logitech_";

    private readonly string _devicePath;

    private UvcExtensions(string devicePath, UvcH264Extension? h264, LogitechLedExtension? led)
    {
        _devicePath = devicePath;
        H264 = h264;
        Led = led;
    }

    public UvcH264Extension? H264 { get; }

    public LogitechLedExtension? Led { get; }

    public static bool IsUvcxKey(string key) => key.StartsWith(KeyPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Finds the units from sysfs under <paramref name="sysfsRoot"/> and reads the H.264 unit's probe limits. A unit
    /// that does not answer is treated as absent with a warning; ENODEV (the camera left) throws.
    /// </summary>
    public static UvcExtensions Open(VideoDevice device, string sysfsRoot, ICollection<string> warnings)
    {
        var ids = UvcUnitFinder.Find(device.Path, sysfsRoot, warnings);
        UvcH264Extension? h264 = null;
        if (ids.H264 != 0)
        {
            try
            {
                h264 = UvcH264Extension.Open(device, ids.H264);
            }
            catch (LinuxException e) when (e.Errno != Tmds.Linux.LibC.ENODEV)
            {
                warnings.Add($"{device.Path}: the H.264 extension unit {ids.H264} does not answer ({e.Message}); it is not used");
            }
        }
        var led = ids.LogitechPeripheral != 0 ? new LogitechLedExtension(device, ids.LogitechPeripheral) : null;
        return new UvcExtensions(device.Path, h264, led);
    }

    /// <summary>
    /// Parses the uvcx_* keys: unknown names, menu values that are no label and integers that do not parse throw
    /// <see cref="V4l2Exception"/> naming the location and what is valid.
    /// </summary>
    public static List<UvcxSetting> Parse(IReadOnlyList<ControlSetting> settings, string devicePath)
    {
        var parsed = new List<UvcxSetting>();
        foreach (var s in settings)
        {
            if (!IsUvcxKey(s.Key)) continue;
            var control = UvcH264Extension.Find(s.Key) ?? LogitechLedExtension.Find(s.Key) ?? throw new V4l2Exception(
                $"{s.Location}: {devicePath} has no UVC extension control '{s.Key}'; valid uvcx controls: {ValidNames()}");
            parsed.Add(new UvcxSetting(control, ParseValue(control, s), s.Location, s.Value));
        }
        return parsed;
    }

    private static long ParseValue(UvcxControl c, ControlSetting s)
    {
        string v = s.Value.Trim();
        string where = $"{s.Location}: {s.Key} = {s.Value}";
        if (c.IsMenu)
        {
            if (c.FindLabel(v) is MenuItem item) return item.Value;
            var labels = new StringBuilder();
            foreach (var m in c.Menu) labels.Append(labels.Length > 0 ? ", " : "").Append('\'').Append(m.Name).Append('\'');
            throw new V4l2Exception($"{where} is not a menu item; valid values: {labels}");
        }
        if (!long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n > c.FieldMax)
            throw new V4l2Exception($"{where} is not an integer from 0 to {c.FieldMax}");
        return n;
    }

    /// <summary>
    /// Applies the section's uvcx_* keys: H.264 unit first, then the Logitech unit (the original's order), committing
    /// the H.264 configuration. With <paramref name="muxWidth"/> set (capture_format MJPGH264) stream_mux = H264 and
    /// the H.264 size are forced, overriding the config; returns false, with one warning, when the camera has no
    /// H.264 unit or its unit cannot mux H.264 (the MJPG payload will then decide).
    /// </summary>
    public bool Apply(IReadOnlyList<ControlSetting> settings, ICollection<string> warnings, int muxWidth = 0, int muxHeight = 0)
    {
        var parsed = Parse(settings, _devicePath);
        var h264 = new List<UvcxSetting>();
        var led = new List<UvcxSetting>();
        bool mux = muxWidth > 0;
        foreach (var s in parsed)
        {
            if (mux && s.Control.Name is UvcH264Extension.StreamMux or UvcH264Extension.Width or UvcH264Extension.Height) continue;
            (s.Control.Name.StartsWith(H264Prefix, StringComparison.Ordinal) ? h264 : led).Add(s);
        }
        bool muxing = false;
        if (mux)
        {
            if (H264 is null)
                warnings.Add($"{_devicePath}: capture_format = MJPGH264, but the camera has no UVC H.264 extension unit to mux H.264 into its MJPG frames; using the frames as they come");
            else if (!H264.CanMuxH264)
                warnings.Add($"{_devicePath}: capture_format = MJPGH264, but the camera's H.264 extension unit cannot mux H.264 into MJPG; using the frames as they come");
            else
            {
                const string Forced = "capture_format = MJPGH264";
                h264.Add(new UvcxSetting(UvcH264Extension.Find(UvcH264Extension.StreamMux)!, UvcH264Extension.StreamMuxH264 | UvcH264Extension.StreamMuxEnabled, Forced, "H264"));
                h264.Add(new UvcxSetting(UvcH264Extension.Find(UvcH264Extension.Width)!, muxWidth, Forced, muxWidth.ToString(CultureInfo.InvariantCulture)));
                h264.Add(new UvcxSetting(UvcH264Extension.Find(UvcH264Extension.Height)!, muxHeight, Forced, muxHeight.ToString(CultureInfo.InvariantCulture)));
                muxing = true;
            }
        }
        if (H264 is not null) H264.Apply(h264, warnings);
        else if (h264.Count > 0) warnings.Add($"{h264[0].Location}: {_devicePath} has no UVC H.264 extension unit; the uvcx_h264_* settings are ignored");
        if (Led is not null) Led.Apply(led, warnings);
        else if (led.Count > 0) warnings.Add($"{led[0].Location}: {_devicePath} has no Logitech LED extension unit; the uvcx_logitech_* settings are ignored");
        return muxing;
    }

    /// <summary>COMMIT of the H.264 configuration, before each STREAMON (compatibility §7); 0 or the errno, 0 without the unit.</summary>
    public int CommitBeforeStreaming() => H264?.Commit() ?? 0;

    /// <summary>The -l lines: Logitech unit first, then the H.264 unit (compatibility §1), each only if the camera has it.</summary>
    public void AppendListing(StringBuilder sb, ICollection<string> warnings)
    {
        Led?.AppendListing(sb, warnings);
        H264?.AppendListing(sb);
    }

    private static string ValidNames()
    {
        var names = new List<string>();
        foreach (var c in UvcH264Extension.Controls) names.Add(c.Name);
        foreach (var c in LogitechLedExtension.Controls) names.Add(c.Name);
        return string.Join(", ", names);
    }
}
