using System.Runtime.InteropServices;
using static Fmp4Streamer.Linux.Native.ioctl;

// C names on purpose: a grep against <linux/videodev2.h> finds each declaration. One LP64 layout serves linux-x64
// and linux-arm64 (32-bit ARM differs and is out of scope); KernelLayoutTests checks every offset against the headers.
#pragma warning disable IDE1006, CS8981
namespace Fmp4Streamer.Linux.Native;

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct timeval
{
    [FieldOffset(0)] public long tv_sec;
    [FieldOffset(8)] public long tv_usec;
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public struct timespec
{
    [FieldOffset(0)] public long tv_sec;
    [FieldOffset(8)] public long tv_nsec;
}

[StructLayout(LayoutKind.Explicit, Size = 104)]
public unsafe struct v4l2_capability
{
    [FieldOffset(0)] public fixed byte driver[16];
    [FieldOffset(16)] public fixed byte card[32];
    [FieldOffset(48)] public fixed byte bus_info[32];
    [FieldOffset(80)] public uint version;
    [FieldOffset(84)] public uint capabilities;
    [FieldOffset(88)] public uint device_caps;
    [FieldOffset(92)] public fixed uint reserved[3];
}

[StructLayout(LayoutKind.Explicit, Size = 48)]
public struct v4l2_pix_format
{
    [FieldOffset(0)] public uint width;
    [FieldOffset(4)] public uint height;
    [FieldOffset(8)] public uint pixelformat;
    [FieldOffset(12)] public uint field;
    [FieldOffset(16)] public uint bytesperline;
    [FieldOffset(20)] public uint sizeimage;
    [FieldOffset(24)] public uint colorspace;
    [FieldOffset(28)] public uint priv;
    [FieldOffset(32)] public uint flags;
    [FieldOffset(36)] public uint ycbcr_enc;
    [FieldOffset(36)] public uint hsv_enc;
    [FieldOffset(40)] public uint quantization;
    [FieldOffset(44)] public uint xfer_func;
}

/// <summary>Packed in C (20 bytes); an array of VIDEO_MAX_PLANES sits inside v4l2_pix_format_mplane.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public unsafe struct v4l2_plane_pix_format
{
    [FieldOffset(0)] public uint sizeimage;
    [FieldOffset(4)] public uint bytesperline;
    [FieldOffset(8)] public fixed ushort reserved[6];
}

/// <summary>Packed in C (192 bytes); plane_fmt is VIDEO_MAX_PLANES v4l2_plane_pix_format, read with PlaneFmt.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
public unsafe struct v4l2_pix_format_mplane
{
    [FieldOffset(0)] public uint width;
    [FieldOffset(4)] public uint height;
    [FieldOffset(8)] public uint pixelformat;
    [FieldOffset(12)] public uint field;
    [FieldOffset(16)] public uint colorspace;
    [FieldOffset(20)] public fixed byte plane_fmt[20 * videodev2.VIDEO_MAX_PLANES];
    [FieldOffset(180)] public byte num_planes;
    [FieldOffset(181)] public byte flags;
    [FieldOffset(182)] public byte ycbcr_enc;
    [FieldOffset(182)] public byte hsv_enc;
    [FieldOffset(183)] public byte quantization;
    [FieldOffset(184)] public byte xfer_func;
    [FieldOffset(185)] public fixed byte reserved[7];

    public ref v4l2_plane_pix_format PlaneFmt(int plane)
    {
        if ((uint)plane >= videodev2.VIDEO_MAX_PLANES) throw new ArgumentOutOfRangeException(nameof(plane));
        fixed (byte* p = plane_fmt) return ref ((v4l2_plane_pix_format*)p)[plane];
    }
}

/// <summary>The 200-byte union of v4l2_format; 8-byte aligned in C because v4l2_window holds pointers.</summary>
[StructLayout(LayoutKind.Explicit, Size = 200)]
public unsafe struct v4l2_format_fmt
{
    [FieldOffset(0)] public v4l2_pix_format pix;
    [FieldOffset(0)] public v4l2_pix_format_mplane pix_mp;
    [FieldOffset(0)] public fixed byte raw_data[200];
}

[StructLayout(LayoutKind.Explicit, Size = 208)]
public struct v4l2_format
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(8)] public v4l2_format_fmt fmt;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_fract
{
    [FieldOffset(0)] public uint numerator;
    [FieldOffset(4)] public uint denominator;
}

[StructLayout(LayoutKind.Explicit, Size = 40)]
public unsafe struct v4l2_captureparm
{
    [FieldOffset(0)] public uint capability;
    [FieldOffset(4)] public uint capturemode;
    [FieldOffset(8)] public v4l2_fract timeperframe;
    [FieldOffset(16)] public uint extendedmode;
    [FieldOffset(20)] public uint readbuffers;
    [FieldOffset(24)] public fixed uint reserved[4];
}

[StructLayout(LayoutKind.Explicit, Size = 200)]
public unsafe struct v4l2_streamparm_parm
{
    [FieldOffset(0)] public v4l2_captureparm capture;
    [FieldOffset(0)] public fixed byte raw_data[200];
}

[StructLayout(LayoutKind.Explicit, Size = 204)]
public struct v4l2_streamparm
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(4)] public v4l2_streamparm_parm parm;
}

[StructLayout(LayoutKind.Explicit, Size = 20)]
public unsafe struct v4l2_requestbuffers
{
    [FieldOffset(0)] public uint count;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public uint memory;
    [FieldOffset(12)] public uint capabilities;
    [FieldOffset(16)] public byte flags;
    [FieldOffset(17)] public fixed byte reserved[3];
}

[StructLayout(LayoutKind.Explicit, Size = 16)]
public unsafe struct v4l2_timecode
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public byte frames;
    [FieldOffset(9)] public byte seconds;
    [FieldOffset(10)] public byte minutes;
    [FieldOffset(11)] public byte hours;
    [FieldOffset(12)] public fixed byte userbits[4];
}

/// <summary>The union m of v4l2_buffer: planes is a pointer (to v4l2_plane[length]) for multi-planar queues.</summary>
[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_buffer_m
{
    [FieldOffset(0)] public uint offset;
    [FieldOffset(0)] public ulong userptr;
    [FieldOffset(0)] public ulong planes;
    [FieldOffset(0)] public int fd;
}

[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct v4l2_buffer
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public uint bytesused;
    [FieldOffset(12)] public uint flags;
    [FieldOffset(16)] public uint field;
    [FieldOffset(24)] public timeval timestamp;
    [FieldOffset(40)] public v4l2_timecode timecode;
    [FieldOffset(56)] public uint sequence;
    [FieldOffset(60)] public uint memory;
    [FieldOffset(64)] public v4l2_buffer_m m;
    [FieldOffset(72)] public uint length;
    [FieldOffset(76)] public uint reserved2;
    [FieldOffset(80)] public int request_fd;
    [FieldOffset(80)] public uint reserved;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_plane_m
{
    [FieldOffset(0)] public uint mem_offset;
    [FieldOffset(0)] public ulong userptr;
    [FieldOffset(0)] public int fd;
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct v4l2_plane
{
    [FieldOffset(0)] public uint bytesused;
    [FieldOffset(4)] public uint length;
    [FieldOffset(8)] public v4l2_plane_m m;
    [FieldOffset(16)] public uint data_offset;
    [FieldOffset(20)] public fixed uint reserved[11];
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct v4l2_exportbuffer
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(4)] public uint index;
    [FieldOffset(8)] public uint plane;
    [FieldOffset(12)] public uint flags;
    [FieldOffset(16)] public int fd;
    [FieldOffset(20)] public fixed uint reserved[11];
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct v4l2_fmtdesc
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public uint flags;
    [FieldOffset(12)] public fixed byte description[32];
    [FieldOffset(44)] public uint pixelformat;
    [FieldOffset(48)] public uint mbus_code;
    [FieldOffset(52)] public fixed uint reserved[3];
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_frmsize_discrete
{
    [FieldOffset(0)] public uint width;
    [FieldOffset(4)] public uint height;
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct v4l2_frmsize_stepwise
{
    [FieldOffset(0)] public uint min_width;
    [FieldOffset(4)] public uint max_width;
    [FieldOffset(8)] public uint step_width;
    [FieldOffset(12)] public uint min_height;
    [FieldOffset(16)] public uint max_height;
    [FieldOffset(20)] public uint step_height;
}

[StructLayout(LayoutKind.Explicit, Size = 44)]
public unsafe struct v4l2_frmsizeenum
{
    [FieldOffset(0)] public uint index;
    [FieldOffset(4)] public uint pixel_format;
    [FieldOffset(8)] public uint type;
    [FieldOffset(12)] public v4l2_frmsize_discrete discrete;
    [FieldOffset(12)] public v4l2_frmsize_stepwise stepwise;
    [FieldOffset(36)] public fixed uint reserved[2];
}

[StructLayout(LayoutKind.Explicit, Size = 68)]
public unsafe struct v4l2_queryctrl
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public fixed byte name[32];
    [FieldOffset(40)] public int minimum;
    [FieldOffset(44)] public int maximum;
    [FieldOffset(48)] public int step;
    [FieldOffset(52)] public int default_value;
    [FieldOffset(56)] public uint flags;
    [FieldOffset(60)] public fixed uint reserved[2];
}

[StructLayout(LayoutKind.Explicit, Size = 232)]
public unsafe struct v4l2_query_ext_ctrl
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public fixed byte name[32];
    [FieldOffset(40)] public long minimum;
    [FieldOffset(48)] public long maximum;
    [FieldOffset(56)] public ulong step;
    [FieldOffset(64)] public long default_value;
    [FieldOffset(72)] public uint flags;
    [FieldOffset(76)] public uint elem_size;
    [FieldOffset(80)] public uint elems;
    [FieldOffset(84)] public uint nr_of_dims;
    [FieldOffset(88)] public fixed uint dims[videodev2.V4L2_CTRL_MAX_DIMS];
    [FieldOffset(104)] public fixed uint reserved[32];
}

/// <summary>Packed in C (44 bytes): the name/value union sits at offset 8 without 8-byte alignment.</summary>
[StructLayout(LayoutKind.Explicit, Size = 44)]
public unsafe struct v4l2_querymenu
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public uint index;
    [FieldOffset(8)] public fixed byte name[32];
    [FieldOffset(8)] public long value;
    [FieldOffset(40)] public uint reserved;
}

[StructLayout(LayoutKind.Explicit, Size = 8)]
public struct v4l2_control
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public int value;
}

/// <summary>Packed in C (20 bytes); @string and ptr are user pointers for string and compound controls.</summary>
[StructLayout(LayoutKind.Explicit, Size = 20)]
public unsafe struct v4l2_ext_control
{
    [FieldOffset(0)] public uint id;
    [FieldOffset(4)] public uint size;
    [FieldOffset(8)] public fixed uint reserved2[1];
    [FieldOffset(12)] public int value;
    [FieldOffset(12)] public long value64;
    [FieldOffset(12)] public ulong @string;
    [FieldOffset(12)] public ulong ptr;
}

[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct v4l2_ext_controls
{
    [FieldOffset(0)] public uint ctrl_class;
    [FieldOffset(0)] public uint which;
    [FieldOffset(4)] public uint count;
    [FieldOffset(8)] public uint error_idx;
    [FieldOffset(12)] public int request_fd;
    [FieldOffset(16)] public fixed uint reserved[1];
    [FieldOffset(24)] public ulong controls;
}

[StructLayout(LayoutKind.Explicit, Size = 32)]
public unsafe struct v4l2_event_subscription
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(4)] public uint id;
    [FieldOffset(8)] public uint flags;
    [FieldOffset(12)] public fixed uint reserved[5];
}

[StructLayout(LayoutKind.Explicit, Size = 40)]
public struct v4l2_event_ctrl
{
    [FieldOffset(0)] public uint changes;
    [FieldOffset(4)] public uint type;
    [FieldOffset(8)] public int value;
    [FieldOffset(8)] public long value64;
    [FieldOffset(16)] public uint flags;
    [FieldOffset(20)] public int minimum;
    [FieldOffset(24)] public int maximum;
    [FieldOffset(28)] public int step;
    [FieldOffset(32)] public int default_value;
}

[StructLayout(LayoutKind.Explicit, Size = 4)]
public struct v4l2_event_src_change
{
    [FieldOffset(0)] public uint changes;
}

[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct v4l2_event_u
{
    [FieldOffset(0)] public v4l2_event_ctrl ctrl;
    [FieldOffset(0)] public v4l2_event_src_change src_change;
    [FieldOffset(0)] public fixed byte data[64];
}

[StructLayout(LayoutKind.Explicit, Size = 136)]
public unsafe struct v4l2_event
{
    [FieldOffset(0)] public uint type;
    [FieldOffset(8)] public v4l2_event_u u;
    [FieldOffset(72)] public uint pending;
    [FieldOffset(76)] public uint sequence;
    [FieldOffset(80)] public timespec timestamp;
    [FieldOffset(96)] public uint id;
    [FieldOffset(100)] public fixed uint reserved[8];
}

[StructLayout(LayoutKind.Explicit, Size = 40)]
public unsafe struct v4l2_encoder_cmd
{
    [FieldOffset(0)] public uint cmd;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public fixed uint raw[8];
}

/// <summary>The stop/start/raw union is declared as its raw words; STOP needs none of them.</summary>
[StructLayout(LayoutKind.Explicit, Size = 72)]
public unsafe struct v4l2_decoder_cmd
{
    [FieldOffset(0)] public uint cmd;
    [FieldOffset(4)] public uint flags;
    [FieldOffset(8)] public fixed uint raw[16];
}

/// <summary>Constants and request numbers of &lt;linux/videodev2.h&gt; and &lt;linux/v4l2-controls.h&gt;.</summary>
public static unsafe class videodev2
{
    public const int VIDEO_MAX_PLANES = 8;
    public const int V4L2_CTRL_MAX_DIMS = 4;

    public static uint v4l2_fourcc(char a, char b, char c, char d) => (uint)a | (uint)b << 8 | (uint)c << 16 | (uint)d << 24;

    // enum v4l2_buf_type
    public const uint V4L2_BUF_TYPE_VIDEO_CAPTURE = 1;
    public const uint V4L2_BUF_TYPE_VIDEO_OUTPUT = 2;
    public const uint V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE = 9;
    public const uint V4L2_BUF_TYPE_VIDEO_OUTPUT_MPLANE = 10;

    // enum v4l2_memory
    public const uint V4L2_MEMORY_MMAP = 1;
    public const uint V4L2_MEMORY_USERPTR = 2;
    public const uint V4L2_MEMORY_OVERLAY = 3;
    public const uint V4L2_MEMORY_DMABUF = 4;

    // enum v4l2_field
    public const uint V4L2_FIELD_ANY = 0;
    public const uint V4L2_FIELD_NONE = 1;

    // v4l2_capability.capabilities / device_caps
    public const uint V4L2_CAP_VIDEO_CAPTURE = 0x00000001;
    public const uint V4L2_CAP_VIDEO_OUTPUT = 0x00000002;
    public const uint V4L2_CAP_VIDEO_CAPTURE_MPLANE = 0x00001000;
    public const uint V4L2_CAP_VIDEO_OUTPUT_MPLANE = 0x00002000;
    public const uint V4L2_CAP_VIDEO_M2M_MPLANE = 0x00004000;
    public const uint V4L2_CAP_VIDEO_M2M = 0x00008000;
    public const uint V4L2_CAP_META_CAPTURE = 0x00800000;
    public const uint V4L2_CAP_READWRITE = 0x01000000;
    public const uint V4L2_CAP_STREAMING = 0x04000000;
    public const uint V4L2_CAP_DEVICE_CAPS = 0x80000000;

    // v4l2_captureparm.capability
    public const uint V4L2_CAP_TIMEPERFRAME = 0x1000;

    // v4l2_buffer.flags
    public const uint V4L2_BUF_FLAG_MAPPED = 0x00000001;
    public const uint V4L2_BUF_FLAG_QUEUED = 0x00000002;
    public const uint V4L2_BUF_FLAG_DONE = 0x00000004;
    public const uint V4L2_BUF_FLAG_KEYFRAME = 0x00000008;
    public const uint V4L2_BUF_FLAG_PFRAME = 0x00000010;
    public const uint V4L2_BUF_FLAG_BFRAME = 0x00000020;
    public const uint V4L2_BUF_FLAG_ERROR = 0x00000040;
    public const uint V4L2_BUF_FLAG_TIMESTAMP_MASK = 0x0000e000;
    public const uint V4L2_BUF_FLAG_TIMESTAMP_UNKNOWN = 0x00000000;
    public const uint V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC = 0x00002000;
    public const uint V4L2_BUF_FLAG_TIMESTAMP_COPY = 0x00004000;
    public const uint V4L2_BUF_FLAG_LAST = 0x00100000;

    // v4l2_fmtdesc.flags, v4l2_frmsizeenum.type
    public const uint V4L2_FMT_FLAG_COMPRESSED = 0x0001;
    public const uint V4L2_FRMSIZE_TYPE_DISCRETE = 1;
    public const uint V4L2_FRMSIZE_TYPE_CONTINUOUS = 2;
    public const uint V4L2_FRMSIZE_TYPE_STEPWISE = 3;

    // enum v4l2_ctrl_type
    public const uint V4L2_CTRL_TYPE_INTEGER = 1;
    public const uint V4L2_CTRL_TYPE_BOOLEAN = 2;
    public const uint V4L2_CTRL_TYPE_MENU = 3;
    public const uint V4L2_CTRL_TYPE_BUTTON = 4;
    public const uint V4L2_CTRL_TYPE_INTEGER64 = 5;
    public const uint V4L2_CTRL_TYPE_CTRL_CLASS = 6;
    public const uint V4L2_CTRL_TYPE_STRING = 7;
    public const uint V4L2_CTRL_TYPE_BITMASK = 8;
    public const uint V4L2_CTRL_TYPE_INTEGER_MENU = 9;
    public const uint V4L2_CTRL_TYPE_U8 = 0x0100;
    public const uint V4L2_CTRL_TYPE_U16 = 0x0101;
    public const uint V4L2_CTRL_TYPE_U32 = 0x0102;

    // Control flags
    public const uint V4L2_CTRL_FLAG_DISABLED = 0x0001;
    public const uint V4L2_CTRL_FLAG_GRABBED = 0x0002;
    public const uint V4L2_CTRL_FLAG_READ_ONLY = 0x0004;
    public const uint V4L2_CTRL_FLAG_UPDATE = 0x0008;
    public const uint V4L2_CTRL_FLAG_INACTIVE = 0x0010;
    public const uint V4L2_CTRL_FLAG_SLIDER = 0x0020;
    public const uint V4L2_CTRL_FLAG_WRITE_ONLY = 0x0040;
    public const uint V4L2_CTRL_FLAG_VOLATILE = 0x0080;
    public const uint V4L2_CTRL_FLAG_HAS_PAYLOAD = 0x0100;
    public const uint V4L2_CTRL_FLAG_EXECUTE_ON_WRITE = 0x0200;
    public const uint V4L2_CTRL_FLAG_NEXT_CTRL = 0x80000000;
    public const uint V4L2_CTRL_FLAG_NEXT_COMPOUND = 0x40000000;
    public const uint V4L2_CTRL_ID_MASK = 0x0fffffff;
    public const uint V4L2_CTRL_WHICH_CUR_VAL = 0;
    public const uint V4L2_CTRL_WHICH_DEF_VAL = 0x0f000000;

    // Control classes and ids
    public const uint V4L2_CTRL_CLASS_USER = 0x00980000;
    public const uint V4L2_CTRL_CLASS_CODEC = 0x00990000;
    public const uint V4L2_CTRL_CLASS_CAMERA = 0x009a0000;
    public const uint V4L2_CID_BASE = V4L2_CTRL_CLASS_USER | 0x900;
    public const uint V4L2_CID_BRIGHTNESS = V4L2_CID_BASE + 0;
    public const uint V4L2_CID_CODEC_BASE = V4L2_CTRL_CLASS_CODEC | 0x900;
    public const uint V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME = V4L2_CID_CODEC_BASE + 229;
    public const uint V4L2_CID_MPEG_VIDEO_H264_PROFILE = V4L2_CID_CODEC_BASE + 363;
    public const uint V4L2_CID_MPEG_VIDEO_H264_LEVEL = V4L2_CID_CODEC_BASE + 359;

    // Events
    public const uint V4L2_ENC_CMD_STOP = 1;
    public const uint V4L2_DEC_CMD_STOP = 1;
    public const uint V4L2_EVENT_ALL = 0;
    public const uint V4L2_EVENT_EOS = 2;
    public const uint V4L2_EVENT_CTRL = 3;
    public const uint V4L2_EVENT_SOURCE_CHANGE = 5;
    public const uint V4L2_EVENT_SUB_FL_SEND_INITIAL = 1 << 0;
    public const uint V4L2_EVENT_SRC_CH_RESOLUTION = 1 << 0;

    // Pixel formats
    public static readonly uint V4L2_PIX_FMT_H264 = v4l2_fourcc('H', '2', '6', '4');
    public static readonly uint V4L2_PIX_FMT_MJPEG = v4l2_fourcc('M', 'J', 'P', 'G');
    public static readonly uint V4L2_PIX_FMT_JPEG = v4l2_fourcc('J', 'P', 'E', 'G');
    public static readonly uint V4L2_PIX_FMT_YUYV = v4l2_fourcc('Y', 'U', 'Y', 'V');
    public static readonly uint V4L2_PIX_FMT_NV12 = v4l2_fourcc('N', 'V', '1', '2');

    // Request numbers, from _IOC arithmetic and the struct sizes above.
    public static readonly uint VIDIOC_QUERYCAP = _IOR('V', 0, sizeof(v4l2_capability));
    public static readonly uint VIDIOC_ENUM_FMT = _IOWR('V', 2, sizeof(v4l2_fmtdesc));
    public static readonly uint VIDIOC_G_FMT = _IOWR('V', 4, sizeof(v4l2_format));
    public static readonly uint VIDIOC_S_FMT = _IOWR('V', 5, sizeof(v4l2_format));
    public static readonly uint VIDIOC_REQBUFS = _IOWR('V', 8, sizeof(v4l2_requestbuffers));
    public static readonly uint VIDIOC_QUERYBUF = _IOWR('V', 9, sizeof(v4l2_buffer));
    public static readonly uint VIDIOC_QBUF = _IOWR('V', 15, sizeof(v4l2_buffer));
    public static readonly uint VIDIOC_EXPBUF = _IOWR('V', 16, sizeof(v4l2_exportbuffer));
    public static readonly uint VIDIOC_DQBUF = _IOWR('V', 17, sizeof(v4l2_buffer));
    public static readonly uint VIDIOC_STREAMON = _IOW('V', 18, sizeof(int));
    public static readonly uint VIDIOC_STREAMOFF = _IOW('V', 19, sizeof(int));
    public static readonly uint VIDIOC_G_PARM = _IOWR('V', 21, sizeof(v4l2_streamparm));
    public static readonly uint VIDIOC_S_PARM = _IOWR('V', 22, sizeof(v4l2_streamparm));
    public static readonly uint VIDIOC_G_CTRL = _IOWR('V', 27, sizeof(v4l2_control));
    public static readonly uint VIDIOC_S_CTRL = _IOWR('V', 28, sizeof(v4l2_control));
    public static readonly uint VIDIOC_QUERYCTRL = _IOWR('V', 36, sizeof(v4l2_queryctrl));
    public static readonly uint VIDIOC_QUERYMENU = _IOWR('V', 37, sizeof(v4l2_querymenu));
    public static readonly uint VIDIOC_G_EXT_CTRLS = _IOWR('V', 71, sizeof(v4l2_ext_controls));
    public static readonly uint VIDIOC_S_EXT_CTRLS = _IOWR('V', 72, sizeof(v4l2_ext_controls));
    public static readonly uint VIDIOC_TRY_EXT_CTRLS = _IOWR('V', 73, sizeof(v4l2_ext_controls));
    public static readonly uint VIDIOC_ENUM_FRAMESIZES = _IOWR('V', 74, sizeof(v4l2_frmsizeenum));
    public static readonly uint VIDIOC_DQEVENT = _IOR('V', 89, sizeof(v4l2_event));
    public static readonly uint VIDIOC_SUBSCRIBE_EVENT = _IOW('V', 90, sizeof(v4l2_event_subscription));
    public static readonly uint VIDIOC_UNSUBSCRIBE_EVENT = _IOW('V', 91, sizeof(v4l2_event_subscription));
    public static readonly uint VIDIOC_ENCODER_CMD = _IOWR('V', 77, sizeof(v4l2_encoder_cmd));
    public static readonly uint VIDIOC_DECODER_CMD = _IOWR('V', 96, sizeof(v4l2_decoder_cmd));
    public static readonly uint VIDIOC_QUERY_EXT_CTRL = _IOWR('V', 103, sizeof(v4l2_query_ext_ctrl));
}
