using System.Runtime.InteropServices;
using static Fmp4Streamer.Linux.Native.ioctl;

#pragma warning disable IDE1006, CS8981
namespace Fmp4Streamer.Linux.Native;

/// <summary>UVC extension-unit query; natural C alignment puts size at 4 and the data pointer at 8.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct uvc_xu_control_query
{
    [FieldOffset(0)] public byte unit;
    [FieldOffset(1)] public byte selector;
    [FieldOffset(2)] public byte query;
    [FieldOffset(4)] public ushort size;
    [FieldOffset(8)] public ulong data;
}

/// <summary>&lt;linux/uvcvideo.h&gt; request number, and the UVC request codes of &lt;linux/usb/video.h&gt;.</summary>
public static unsafe class uvcvideo
{
    public static readonly uint UVCIOC_CTRL_QUERY = _IOWR('u', 0x21, sizeof(uvc_xu_control_query));

    public const byte UVC_SET_CUR = 0x01;
    public const byte UVC_GET_CUR = 0x81;
    public const byte UVC_GET_MIN = 0x82;
    public const byte UVC_GET_MAX = 0x83;
    public const byte UVC_GET_RES = 0x84;
    public const byte UVC_GET_LEN = 0x85;
    public const byte UVC_GET_INFO = 0x86;
    public const byte UVC_GET_DEF = 0x87;
}
