using static Fmp4Streamer.Linux.Native.videodev2;

namespace Fmp4Streamer.V4L2;

/// <summary>
/// What VIDIOC_QUERYCAP said. <see cref="Caps"/> is the node's own device_caps when the driver reports them
/// (V4L2_CAP_DEVICE_CAPS), else the whole device's capabilities.
/// </summary>
public sealed record DeviceCapabilities(string Driver, string Card, string BusInfo, uint Capabilities, uint DeviceCaps)
{
    public uint Caps => (Capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? DeviceCaps : Capabilities;

    public bool Has(uint cap) => (Caps & cap) != 0;
}
