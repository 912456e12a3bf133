using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.uvcvideo;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// One UVC extension unit of an open node, queried through UVCIOC_CTRL_QUERY (compatibility §7). Every data query asks
/// GET_LEN first and sends that length, clamped to the caller's buffer (uvcvideo refuses any other size with
/// ENOBUFS, so a clamped query fails cleanly instead of overrunning the buffer as the original could).
/// </summary>
public sealed unsafe class ExtensionUnit
{
    private readonly VideoDevice _device;

    public ExtensionUnit(VideoDevice device, byte unitId)
    {
        _device = device;
        UnitId = unitId;
    }

    public byte UnitId { get; }

    public string DevicePath => _device.Path;

    /// <summary>GET_LEN of a control: its size in bytes. Returns 0 or the errno.</summary>
    public int QueryLength(byte selector, out int length)
    {
        ushort len = 0;
        int err = Raw(selector, UVC_GET_LEN, &len, sizeof(ushort));
        length = err == 0 ? len : 0;
        return err;
    }

    /// <summary>GET_INFO of a control: bit 0 GET supported, bit 1 SET supported (UVC 1.5, 4.1.2). Returns 0 or the errno.</summary>
    public int QueryInfo(byte selector, out byte info)
    {
        byte value = 0;
        int err = Raw(selector, UVC_GET_INFO, &value, 1);
        info = value;
        return err;
    }

    /// <summary>
    /// GET_CUR/MIN/MAX/DEF/RES into, or SET_CUR from, <paramref name="data"/>, with GET_LEN's size clamped to it.
    /// <paramref name="length"/> is the size sent. Returns 0 or the errno.
    /// </summary>
    public int Query(byte selector, byte query, Span<byte> data, out int length)
    {
        int err = QueryLength(selector, out length);
        if (err != 0) return err;
        if (length > data.Length) length = data.Length;
        if (length == 0) return Tmds.Linux.LibC.EINVAL;
        fixed (byte* p = data) return Raw(selector, query, p, length);
    }

    /// <summary>Like <see cref="Query"/>, throwing <see cref="LinuxException"/> naming the query on failure.</summary>
    public void QueryOrThrow(byte selector, byte query, Span<byte> data)
    {
        int err = Query(selector, query, data, out _);
        if (err != 0) throw new LinuxException(err, $"UVCIOC_CTRL_QUERY ({QueryName(query)} unit {UnitId} selector {selector})", DevicePath);
    }

    public static string QueryName(byte query) => query switch
    {
        UVC_SET_CUR => "SET_CUR",
        UVC_GET_CUR => "GET_CUR",
        UVC_GET_MIN => "GET_MIN",
        UVC_GET_MAX => "GET_MAX",
        UVC_GET_RES => "GET_RES",
        UVC_GET_LEN => "GET_LEN",
        UVC_GET_INFO => "GET_INFO",
        UVC_GET_DEF => "GET_DEF",
        _ => "0x" + query.ToString("x2"),
    };

    private int Raw(byte selector, byte query, void* data, int size)
    {
        uvc_xu_control_query q = default;
        q.unit = UnitId;
        q.selector = selector;
        q.query = query;
        q.size = (ushort)size;
        q.data = (ulong)data;
        return _device.Ioctl(UVCIOC_CTRL_QUERY, &q);
    }
}
