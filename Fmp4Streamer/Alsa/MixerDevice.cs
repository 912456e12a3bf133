using System.Globalization;
using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.asound;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Alsa;

/// <summary>
/// A sound card's control interface (/dev/snd/controlC&lt;card&gt;) through the kernel directly: the card's names,
/// its mixer controls of the kinds the config can set, and reading and writing them, every channel at once.
/// </summary>
public sealed unsafe class MixerDevice : IDisposable
{
    // More elements than any card has (a USB headset has a dozen, an HDA codec about a hundred): a bound for the list.
    private const uint MaxElements = 4096;
    private const int MaxValues = 128;

    private readonly ILinuxIo _io;
    private int _fd;

    private MixerDevice(ILinuxIo io, int fd, string path)
    {
        _io = io;
        _fd = fd;
        Path = path;
    }

    public string Path { get; }
    public string CardId { get; private set; } = "";
    public string Driver { get; private set; } = "";
    public string CardName { get; private set; } = "";

    /// <summary>The control node of the card a PCM node belongs to: /dev/snd/pcmC1D0c is on /dev/snd/controlC1.</summary>
    public static string? ControlPathOf(string pcmPath)
    {
        const string Pcm = "/dev/snd/pcmC";
        if (!pcmPath.StartsWith(Pcm, StringComparison.Ordinal)) return null;
        int d = pcmPath.IndexOf('D', Pcm.Length);
        if (d < 0 || !int.TryParse(pcmPath.AsSpan(Pcm.Length, d - Pcm.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int card))
            return null;
        return $"/dev/snd/controlC{card}";
    }

    /// <summary>Opens the node and reads the card's names; throws <see cref="LinuxException"/> when it cannot.</summary>
    public static MixerDevice Open(ILinuxIo io, string path)
    {
        int err = io.Open(path, LibC.O_RDWR | LibC.O_CLOEXEC, out int fd);
        if (err != 0) throw new LinuxException(err, "open", path);
        var device = new MixerDevice(io, fd, path);
        snd_ctl_card_info info = default;
        err = io.Ioctl(fd, SNDRV_CTL_IOCTL_CARD_INFO, &info);
        if (err != 0)
        {
            device.Dispose();
            throw new LinuxException(err, "SNDRV_CTL_IOCTL_CARD_INFO", path);
        }
        device.CardId = Text(info.id, 16);
        device.Driver = Text(info.driver, 16);
        device.CardName = Text(info.name, 32);
        return device;
    }

    /// <summary>The card's mixer-interface controls of boolean, integer and enumerated type, in the driver's order.</summary>
    public List<MixerControl> Enumerate()
    {
        snd_ctl_elem_list list = default;
        Check(_io.Ioctl(_fd, SNDRV_CTL_IOCTL_ELEM_LIST, &list), "SNDRV_CTL_IOCTL_ELEM_LIST");
        var ids = new snd_ctl_elem_id[Math.Min(list.count, MaxElements)];
        var controls = new List<MixerControl>();
        if (ids.Length == 0) return controls;
        fixed (snd_ctl_elem_id* p = ids)
        {
            list = default;
            list.space = (uint)ids.Length;
            list.pids = (ulong)p;
            Check(_io.Ioctl(_fd, SNDRV_CTL_IOCTL_ELEM_LIST, &list), "SNDRV_CTL_IOCTL_ELEM_LIST");
        }
        var keys = new HashSet<string>();
        for (int i = 0; i < Math.Min(list.used, (uint)ids.Length); i++)
        {
            if (ids[i].iface != SNDRV_CTL_ELEM_IFACE_MIXER) continue;
            var control = Describe(ids[i], keys);
            if (control is not null) controls.Add(control);
        }
        return controls;
    }

    private MixerControl? Describe(snd_ctl_elem_id id, HashSet<string> keys)
    {
        snd_ctl_elem_info info = default;
        info.id.numid = id.numid;
        // A control may vanish between the list and its info (a driver rebuilding its mixer): skip it.
        if (_io.Ioctl(_fd, SNDRV_CTL_IOCTL_ELEM_INFO, &info) != 0) return null;
        MixerControlType type;
        switch (info.type)
        {
            case SNDRV_CTL_ELEM_TYPE_BOOLEAN: type = MixerControlType.Boolean; break;
            case SNDRV_CTL_ELEM_TYPE_INTEGER: type = MixerControlType.Integer; break;
            case SNDRV_CTL_ELEM_TYPE_ENUMERATED: type = MixerControlType.Enumerated; break;
            default: return null;
        }
        string name = Text(info.id.name, SNDRV_CTL_ELEM_ID_NAME_MAXLEN);
        string key = MixerNames.Key(name, info.id.index);
        // Two names that differ only in punctuation would share a key: the later one gets its numeric id.
        if (!keys.Add(key))
        {
            key += "_" + id.numid.ToString(CultureInfo.InvariantCulture);
            keys.Add(key);
        }
        var control = new MixerControl
        {
            NumId = id.numid,
            Name = name,
            Index = info.id.index,
            Key = key,
            Type = type,
            Channels = (int)Math.Clamp(info.count, 1u, MaxValues),
            Minimum = type switch
            {
                MixerControlType.Integer => info.value.integer.min,
                _ => 0,
            },
            Maximum = type switch
            {
                MixerControlType.Integer => info.value.integer.max,
                MixerControlType.Boolean => 1,
                _ => Math.Max(0, (long)info.value.enumerated.items - 1),
            },
            Step = type == MixerControlType.Integer && info.value.integer.step > 1 ? info.value.integer.step : 1,
            Items = type == MixerControlType.Enumerated ? ItemNames(info) : Array.Empty<string>(),
            IsWritable = (info.access & SNDRV_CTL_ELEM_ACCESS_WRITE) != 0,
            IsInactive = (info.access & SNDRV_CTL_ELEM_ACCESS_INACTIVE) != 0,
        };
        if ((info.access & SNDRV_CTL_ELEM_ACCESS_READ) != 0) control.Values = Read(control);
        return control;
    }

    private string[] ItemNames(snd_ctl_elem_info info)
    {
        var items = new string[Math.Min(info.value.enumerated.items, MaxElements)];
        for (uint i = 0; i < items.Length; i++)
        {
            snd_ctl_elem_info item = default;
            item.id.numid = info.id.numid;
            item.value.enumerated.item = i;
            items[i] = _io.Ioctl(_fd, SNDRV_CTL_IOCTL_ELEM_INFO, &item) == 0
                ? Text(item.value.enumerated.name, 64)
                : i.ToString(CultureInfo.InvariantCulture);
        }
        return items;
    }

    /// <summary>The value of every channel; empty when the driver refuses the read.</summary>
    public long[] Read(MixerControl control)
    {
        snd_ctl_elem_value value = default;
        value.id.numid = control.NumId;
        if (_io.Ioctl(_fd, SNDRV_CTL_IOCTL_ELEM_READ, &value) != 0) return Array.Empty<long>();
        var values = new long[control.Channels];
        for (int c = 0; c < values.Length; c++)
            values[c] = control.Type == MixerControlType.Enumerated ? value.value.enumerated.item[c] : value.value.integer.value[c];
        return values;
    }

    /// <summary>Writes <paramref name="v"/> to every channel and reads the values back into the control.</summary>
    public void Write(MixerControl control, long v)
    {
        snd_ctl_elem_value value = default;
        value.id.numid = control.NumId;
        for (int c = 0; c < control.Channels; c++)
        {
            if (control.Type == MixerControlType.Enumerated) value.value.enumerated.item[c] = (uint)v;
            else value.value.integer.value[c] = v;
        }
        Check(_io.Ioctl(_fd, SNDRV_CTL_IOCTL_ELEM_WRITE, &value), "SNDRV_CTL_IOCTL_ELEM_WRITE " + control.Name);
        control.Values = Read(control);
    }

    private void Check(int err, string call)
    {
        if (err != 0) throw new LinuxException(err, call, Path);
    }

    private static string Text(byte* chars, int capacity)
    {
        var span = new ReadOnlySpan<byte>(chars, capacity);
        int end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }

    public void Dispose()
    {
        if (_fd < 0) return;
        _io.Close(_fd);
        _fd = -1;
    }
}
