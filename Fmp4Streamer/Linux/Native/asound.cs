using System.Runtime.InteropServices;
using static Fmp4Streamer.Linux.Native.ioctl;

// C names on purpose: a grep against <sound/asound.h> finds each declaration. One LP64 layout serves linux-x64 and
// linux-arm64; KernelLayoutTests checks every offset, size and request number against the headers of both.
#pragma warning disable IDE1006, CS8981
namespace Fmp4Streamer.Linux.Native;

/// <summary>
/// struct snd_pcm_hw_params: 3 masks of 256 bits (access, format, subformat), 5 reserved masks, 12 intervals
/// (sample bits ... tick time) and 9 reserved ones. An interval is {min, max, a word of bit fields openmin:1,
/// openmax:1, integer:1, empty:1}: C# has no bit fields, so the intervals are a flat array of 3 words each and
/// <see cref="Alsa"/>'s helpers read them.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 608)]
public unsafe struct snd_pcm_hw_params
{
    [FieldOffset(0)] public uint flags;
    [FieldOffset(4)] public fixed uint masks[3 * 8];
    [FieldOffset(100)] public fixed uint mres[5 * 8];
    [FieldOffset(260)] public fixed uint intervals[12 * 3];
    [FieldOffset(404)] public fixed uint ires[9 * 3];
    [FieldOffset(512)] public uint rmask;
    [FieldOffset(516)] public uint cmask;
    [FieldOffset(520)] public uint info;
    [FieldOffset(524)] public uint msbits;
    [FieldOffset(528)] public uint rate_num;
    [FieldOffset(532)] public uint rate_den;
    [FieldOffset(536)] public ulong fifo_size;
    [FieldOffset(544)] public fixed byte reserved[64];
}

[StructLayout(LayoutKind.Explicit, Size = 136)]
public unsafe struct snd_pcm_sw_params
{
    [FieldOffset(0)] public int tstamp_mode;
    [FieldOffset(4)] public uint period_step;
    [FieldOffset(8)] public uint sleep_min;
    [FieldOffset(16)] public ulong avail_min;
    [FieldOffset(24)] public ulong xfer_align;
    [FieldOffset(32)] public ulong start_threshold;
    [FieldOffset(40)] public ulong stop_threshold;
    [FieldOffset(48)] public ulong silence_threshold;
    [FieldOffset(56)] public ulong silence_size;
    [FieldOffset(64)] public ulong boundary;
    [FieldOffset(72)] public uint proto;
    [FieldOffset(76)] public uint tstamp_type;
    [FieldOffset(80)] public fixed byte reserved[56];
}

[StructLayout(LayoutKind.Explicit, Size = 152)]
public unsafe struct snd_pcm_status
{
    [FieldOffset(0)] public int state;
    [FieldOffset(8)] public timespec trigger_tstamp;
    [FieldOffset(24)] public timespec tstamp;
    [FieldOffset(40)] public ulong appl_ptr;
    [FieldOffset(48)] public ulong hw_ptr;
    [FieldOffset(56)] public long delay;
    [FieldOffset(64)] public ulong avail;
    [FieldOffset(72)] public ulong avail_max;
    [FieldOffset(80)] public ulong overrange;
    [FieldOffset(88)] public int suspended_state;
    [FieldOffset(92)] public uint audio_tstamp_data;
    [FieldOffset(96)] public timespec audio_tstamp;
    [FieldOffset(112)] public timespec driver_tstamp;
    [FieldOffset(128)] public uint audio_tstamp_accuracy;
    [FieldOffset(132)] public fixed byte reserved[20];
}

[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct snd_xferi
{
    [FieldOffset(0)] public long result;
    [FieldOffset(8)] public ulong buf;
    [FieldOffset(16)] public ulong frames;
}

/// <summary>struct snd_ctl_card_info: what SNDRV_CTL_IOCTL_CARD_INFO says about a card (NUL-padded ASCII fields).</summary>
[StructLayout(LayoutKind.Explicit, Size = 376)]
public unsafe struct snd_ctl_card_info
{
    [FieldOffset(0)] public int card;
    [FieldOffset(4)] public int pad;
    [FieldOffset(8)] public fixed byte id[16];
    [FieldOffset(24)] public fixed byte driver[16];
    [FieldOffset(40)] public fixed byte name[32];
    [FieldOffset(72)] public fixed byte longname[80];
    [FieldOffset(152)] public fixed byte reserved_[16];
    [FieldOffset(168)] public fixed byte mixername[80];
    [FieldOffset(248)] public fixed byte components[128];
}

/// <summary>struct snd_ctl_elem_id: a control element, found by numid alone once the list has given it.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public unsafe struct snd_ctl_elem_id
{
    [FieldOffset(0)] public uint numid;
    [FieldOffset(4)] public int iface;
    [FieldOffset(8)] public uint device;
    [FieldOffset(12)] public uint subdevice;
    [FieldOffset(16)] public fixed byte name[asound.SNDRV_CTL_ELEM_ID_NAME_MAXLEN];
    [FieldOffset(60)] public uint index;
}

/// <summary>struct snd_ctl_elem_list: pids points at an array of <c>space</c> snd_ctl_elem_id the kernel fills.</summary>
[StructLayout(LayoutKind.Explicit, Size = 80)]
public unsafe struct snd_ctl_elem_list
{
    [FieldOffset(0)] public uint offset;
    [FieldOffset(4)] public uint space;
    [FieldOffset(8)] public uint used;
    [FieldOffset(12)] public uint count;
    [FieldOffset(16)] public ulong pids;
    [FieldOffset(24)] public fixed byte reserved[50];
}

/// <summary>The integer member of snd_ctl_elem_info's value union (C long: 64 bits on LP64).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
public struct snd_ctl_elem_info_integer
{
    [FieldOffset(0)] public long min;
    [FieldOffset(8)] public long max;
    [FieldOffset(16)] public long step;
}

/// <summary>The enumerated member: the caller writes <c>item</c>, the kernel answers that item's name.</summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public unsafe struct snd_ctl_elem_info_enumerated
{
    [FieldOffset(0)] public uint items;
    [FieldOffset(4)] public uint item;
    [FieldOffset(8)] public fixed byte name[64];
    [FieldOffset(72)] public ulong names_ptr;
    [FieldOffset(80)] public uint names_length;
}

[StructLayout(LayoutKind.Explicit, Size = 128)]
public unsafe struct snd_ctl_elem_info_value
{
    [FieldOffset(0)] public snd_ctl_elem_info_integer integer;
    [FieldOffset(0)] public snd_ctl_elem_info_integer integer64;
    [FieldOffset(0)] public snd_ctl_elem_info_enumerated enumerated;
    [FieldOffset(0)] public fixed byte reserved[128];
}

[StructLayout(LayoutKind.Explicit, Size = 272)]
public unsafe struct snd_ctl_elem_info
{
    [FieldOffset(0)] public snd_ctl_elem_id id;
    [FieldOffset(64)] public int type;
    [FieldOffset(68)] public uint access;
    [FieldOffset(72)] public uint count;
    [FieldOffset(76)] public int owner;
    [FieldOffset(80)] public snd_ctl_elem_info_value value;
    [FieldOffset(208)] public fixed byte reserved[64];
}

[StructLayout(LayoutKind.Explicit, Size = 1024)]
public unsafe struct snd_ctl_elem_value_integer
{
    [FieldOffset(0)] public fixed long value[128];
}

[StructLayout(LayoutKind.Explicit, Size = 512)]
public unsafe struct snd_ctl_elem_value_enumerated
{
    [FieldOffset(0)] public fixed uint item[128];
}

[StructLayout(LayoutKind.Explicit, Size = 1024)]
public struct snd_ctl_elem_value_value
{
    [FieldOffset(0)] public snd_ctl_elem_value_integer integer;
    [FieldOffset(0)] public snd_ctl_elem_value_enumerated enumerated;
}

/// <summary>
/// struct snd_ctl_elem_value: one value per channel (<c>count</c> of the info). The obsolete one-bit field
/// <c>indirect</c> at offset 64 has no declaration (a bit field has no offsetof to check); it stays zero.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 1224)]
public unsafe struct snd_ctl_elem_value
{
    [FieldOffset(0)] public snd_ctl_elem_id id;
    [FieldOffset(72)] public snd_ctl_elem_value_value value;
    [FieldOffset(1096)] public fixed byte reserved[128];
}

/// <summary>Constants and request numbers of &lt;sound/asound.h&gt; used for PCM capture and the card's mixer controls.</summary>
public static class asound
{
    public const int SNDRV_PCM_HW_PARAM_ACCESS = 0;
    public const int SNDRV_PCM_HW_PARAM_FORMAT = 1;
    public const int SNDRV_PCM_HW_PARAM_SUBFORMAT = 2;
    public const int SNDRV_PCM_HW_PARAM_FIRST_MASK = 0;
    public const int SNDRV_PCM_HW_PARAM_LAST_MASK = 2;
    public const int SNDRV_PCM_HW_PARAM_SAMPLE_BITS = 8;
    public const int SNDRV_PCM_HW_PARAM_FRAME_BITS = 9;
    public const int SNDRV_PCM_HW_PARAM_CHANNELS = 10;
    public const int SNDRV_PCM_HW_PARAM_RATE = 11;
    public const int SNDRV_PCM_HW_PARAM_PERIOD_TIME = 12;
    public const int SNDRV_PCM_HW_PARAM_PERIOD_SIZE = 13;
    public const int SNDRV_PCM_HW_PARAM_PERIOD_BYTES = 14;
    public const int SNDRV_PCM_HW_PARAM_PERIODS = 15;
    public const int SNDRV_PCM_HW_PARAM_BUFFER_TIME = 16;
    public const int SNDRV_PCM_HW_PARAM_BUFFER_SIZE = 17;
    public const int SNDRV_PCM_HW_PARAM_BUFFER_BYTES = 18;
    public const int SNDRV_PCM_HW_PARAM_TICK_TIME = 19;
    public const int SNDRV_PCM_HW_PARAM_FIRST_INTERVAL = 8;
    public const int SNDRV_PCM_HW_PARAM_LAST_INTERVAL = 19;
    public const int SNDRV_MASK_MAX = 256;

    public const int SNDRV_PCM_ACCESS_RW_INTERLEAVED = 3;
    public const int SNDRV_PCM_FORMAT_S16_LE = 2;
    public const int SNDRV_PCM_SUBFORMAT_STD = 0;

    public const int SNDRV_PCM_TSTAMP_ENABLE = 1;
    public const int SNDRV_PCM_TSTAMP_TYPE_MONOTONIC = 1;

    public const int SNDRV_PCM_STATE_OPEN = 0;
    public const int SNDRV_PCM_STATE_SETUP = 1;
    public const int SNDRV_PCM_STATE_PREPARED = 2;
    public const int SNDRV_PCM_STATE_RUNNING = 3;
    public const int SNDRV_PCM_STATE_XRUN = 4;

    public static readonly uint SNDRV_PCM_IOCTL_PVERSION = _IOR('A', 0x00, sizeof(int));
    public static readonly uint SNDRV_PCM_IOCTL_TTSTAMP = _IOW('A', 0x03, sizeof(int));
    public static readonly uint SNDRV_PCM_IOCTL_HW_REFINE = _IOWR('A', 0x10, Marshal.SizeOf<snd_pcm_hw_params>());
    public static readonly uint SNDRV_PCM_IOCTL_HW_PARAMS = _IOWR('A', 0x11, Marshal.SizeOf<snd_pcm_hw_params>());
    public static readonly uint SNDRV_PCM_IOCTL_HW_FREE = _IO('A', 0x12);
    public static readonly uint SNDRV_PCM_IOCTL_SW_PARAMS = _IOWR('A', 0x13, Marshal.SizeOf<snd_pcm_sw_params>());
    public static readonly uint SNDRV_PCM_IOCTL_STATUS = _IOR('A', 0x20, Marshal.SizeOf<snd_pcm_status>());
    public static readonly uint SNDRV_PCM_IOCTL_PREPARE = _IO('A', 0x40);
    public static readonly uint SNDRV_PCM_IOCTL_START = _IO('A', 0x42);
    public static readonly uint SNDRV_PCM_IOCTL_DROP = _IO('A', 0x43);
    public static readonly uint SNDRV_CTL_IOCTL_PCM_PREFER_SUBDEVICE = _IOW('U', 0x32, sizeof(int));
    public static readonly uint SNDRV_PCM_IOCTL_READI_FRAMES = _IOR('A', 0x51, Marshal.SizeOf<snd_xferi>());

    public const int SNDRV_CTL_ELEM_ID_NAME_MAXLEN = 44;
    public const int SNDRV_CTL_ELEM_TYPE_BOOLEAN = 1;
    public const int SNDRV_CTL_ELEM_TYPE_INTEGER = 2;
    public const int SNDRV_CTL_ELEM_TYPE_ENUMERATED = 3;
    public const int SNDRV_CTL_ELEM_IFACE_MIXER = 2;
    public const int SNDRV_CTL_ELEM_ACCESS_READ = 1 << 0;
    public const int SNDRV_CTL_ELEM_ACCESS_WRITE = 1 << 1;
    public const int SNDRV_CTL_ELEM_ACCESS_INACTIVE = 1 << 8;

    public static readonly uint SNDRV_CTL_IOCTL_CARD_INFO = _IOR('U', 0x01, Marshal.SizeOf<snd_ctl_card_info>());
    public static readonly uint SNDRV_CTL_IOCTL_ELEM_LIST = _IOWR('U', 0x10, Marshal.SizeOf<snd_ctl_elem_list>());
    public static readonly uint SNDRV_CTL_IOCTL_ELEM_INFO = _IOWR('U', 0x11, Marshal.SizeOf<snd_ctl_elem_info>());
    public static readonly uint SNDRV_CTL_IOCTL_ELEM_READ = _IOWR('U', 0x12, Marshal.SizeOf<snd_ctl_elem_value>());
    public static readonly uint SNDRV_CTL_IOCTL_ELEM_WRITE = _IOWR('U', 0x13, Marshal.SizeOf<snd_ctl_elem_value>());
}
