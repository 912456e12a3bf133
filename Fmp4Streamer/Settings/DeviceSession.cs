using Fmp4Streamer.Http.Settings;
using Fmp4Streamer.Linux;
using Fmp4Streamer.V4L2;

namespace Fmp4Streamer.Settings;

/// <summary>
/// One device for the length of one settings request: the chain's open device when it streams, else the node
/// opened for the request and closed after it; its controls enumerated with their current values.
/// </summary>
internal sealed class DeviceSession : IDisposable
{
    private readonly VideoDevice? _opened;

    private DeviceSession(SettingsDevice device, VideoDevice? handle, VideoDevice? opened, Controls? controls, string? error, bool live)
    {
        Device = device;
        Handle = handle;
        _opened = opened;
        Controls = controls;
        Error = error;
        IsLive = live;
    }

    public SettingsDevice Device { get; }
    public VideoDevice? Handle { get; }
    public Controls? Controls { get; }
    public string? Error { get; }

    /// <summary>The chain has this device open (streaming) now.</summary>
    public bool IsLive { get; }

    /// <summary>Writes reach what the chain uses: the live device, or a camera node (its values outlive this open).</summary>
    public bool Applies => Controls is not null && (IsLive || !Device.PerContext);

    public static DeviceSession Open(ILinuxIo io, SettingsDevice device)
    {
        var live = device.Live();
        if (live is not null) return Enumerate(device, live, null, true);
        VideoDevice opened;
        try
        {
            opened = VideoDevice.Open(io, device.Path);
        }
        catch (LinuxException e)
        {
            return new DeviceSession(device, null, null, null, e.Message, false);
        }
        return Enumerate(device, opened, opened, false);
    }

    private static DeviceSession Enumerate(SettingsDevice device, VideoDevice handle, VideoDevice? opened, bool live)
    {
        try
        {
            if (handle.Capabilities is null) handle.QueryCapabilities();
            var controls = Controls.Enumerate(handle, null, readValues: true);
            // A closed codec's fresh context shows defaults: show what its next open will set instead.
            if (!live && device.PerContext) Overlay(controls, device.Remembered(), device.Path);
            return new DeviceSession(device, handle, opened, controls, null, live);
        }
        catch (LinuxException e)
        {
            opened?.Dispose();
            return new DeviceSession(device, null, null, null, e.Message, false);
        }
    }

    private static void Overlay(Controls controls, IReadOnlyList<ControlSetting> settings, string path)
    {
        foreach (var s in settings)
        {
            if (controls.Find(s.Key) is not ControlInfo c) continue;
            try
            {
                var value = ControlValueParser.Parse(c, s, path);
                if (value.Text is null) c.Value = value.Number;
            }
            catch (V4l2Exception)
            {
                // Start-up reports a bad setting; the description just shows the device's value.
            }
        }
    }

    public void Describe(JsonWriter json, Action<JsonWriter>? moreClasses = null) =>
        ControlDescriptions.Write(json, Device, Handle?.Capabilities, Controls?.All ?? Array.Empty<ControlInfo>(), IsLive || !Device.PerContext, Error,
            moreClasses);

    public void Dispose() => _opened?.Dispose();
}
