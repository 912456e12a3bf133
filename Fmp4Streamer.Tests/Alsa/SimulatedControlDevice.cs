using System.Text;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Linux.Native;
using static Fmp4Streamer.Linux.Native.asound;
using LibC = Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>One element of a <see cref="SimulatedControlDevice"/>: what snd_ctl_elem_info and _value carry.</summary>
internal sealed class SimElement
{
    public required string Name { get; init; }
    public uint Index { get; init; }
    public int Iface { get; init; } = SNDRV_CTL_ELEM_IFACE_MIXER;
    public required int Type { get; init; }
    public int Access { get; init; } = SNDRV_CTL_ELEM_ACCESS_READ | SNDRV_CTL_ELEM_ACCESS_WRITE;
    public long Min { get; init; }
    public long Max { get; init; }
    public long Step { get; init; }
    public string[] Items { get; init; } = Array.Empty<string>();
    public required long[] Values { get; init; }
}

/// <summary>
/// A sound card's control node behind <see cref="ILinuxIo"/>, answering requests by number as the kernel's control
/// core does: the element list in pages (offset, space, used, count), info by numid (numids start at 1, in list
/// order), an enumerated item's name by the item asked for, reads and writes of every channel. Like the kernel with
/// input validation, a write outside the range, off the step or past the items is EINVAL; to a read-only element
/// EPERM. Its fd is an eventfd, as the PCM's is.
/// </summary>
internal sealed unsafe class SimulatedControlDevice : ILinuxIo
{
    private readonly HashSet<int> _fds = new();

    public SimulatedControlDevice(string path = "/dev/snd/controlC1") => Path = path;

    public string Path { get; }
    public string Id { get; set; } = "Dummy";
    public string Driver { get; set; } = "Dummy";
    public string CardName { get; set; } = "Dummy";
    public List<SimElement> Elements { get; } = new();
    public bool Plugged { get; set; } = true;

    /// <summary>The last subdevice asked for through this node (-1 for any).</summary>
    public int PreferredSubdevice { get; private set; } = -1;
    public int Opens { get; private set; }
    public int Writes { get; private set; }

    /// <summary>An errno every write to <see cref="WriteErrorElement"/> fails with (a control locked by another program).</summary>
    public int WriteError { get; set; }
    public string? WriteErrorElement { get; set; }
    public int OpenFdCount => _fds.Count;

    /// <summary>A card shaped like snd-dummy: stereo volumes -50..100 and capture switches, plus elements -l leaves out.</summary>
    public static SimulatedControlDevice Dummy()
    {
        var d = new SimulatedControlDevice();
        foreach (string name in new[] { "Master", "Synth", "Line", "CD", "Mic" })
        {
            d.Elements.Add(new SimElement { Name = name + " Volume", Type = SNDRV_CTL_ELEM_TYPE_INTEGER, Min = -50, Max = 100, Values = [0, 0] });
            d.Elements.Add(new SimElement { Name = name + " Capture Switch", Type = SNDRV_CTL_ELEM_TYPE_BOOLEAN, Max = 1, Values = [0, 0] });
        }
        d.Elements.Add(new SimElement { Name = "Capture Source", Type = SNDRV_CTL_ELEM_TYPE_ENUMERATED, Items = ["Mic", "Line", "CD"], Values = [0] });
        d.Elements.Add(new SimElement { Name = "Mic Boost (+20dB)", Type = SNDRV_CTL_ELEM_TYPE_INTEGER, Min = 0, Max = 30, Step = 10, Values = [10] });
        d.Elements.Add(new SimElement { Name = "Jack Sense", Type = SNDRV_CTL_ELEM_TYPE_BOOLEAN, Max = 1, Access = SNDRV_CTL_ELEM_ACCESS_READ, Values = [1] });
        d.Elements.Add(new SimElement { Name = "IEC958 Playback Default", Type = 5, Values = [0] });
        d.Elements.Add(new SimElement { Name = "PCM Rate Shift", Iface = SNDRV_CTL_ELEM_IFACE_MIXER + 1, Type = SNDRV_CTL_ELEM_TYPE_INTEGER, Max = 10, Values = [0] });
        return d;
    }

    public SimElement Element(string name) => Elements.Find(e => e.Name == name) ?? throw new ArgumentException(name);

    public int Open(string path, int flags, out int fd)
    {
        fd = -1;
        if (path != Path || !Plugged) return LibC.ENOENT;
        fd = LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC);
        _fds.Add(fd);
        Opens++;
        return 0;
    }

    public int Close(int fd)
    {
        if (!_fds.Remove(fd)) return LibC.EBADF;
        LibC.close(fd);
        return 0;
    }

    public int Mmap(int fd, nuint length, int prot, int flags, long offset, out void* address)
    {
        address = null;
        return LibC.ENODEV;
    }

    public int Munmap(void* address, nuint length) => LibC.EINVAL;

    public int Ioctl(int fd, uint request, void* arg)
    {
        if (!_fds.Contains(fd)) return LibC.EBADF;
        if (!Plugged) return LibC.ENODEV;
        if (request == SNDRV_CTL_IOCTL_CARD_INFO) return CardInfo((snd_ctl_card_info*)arg);
        if (request == SNDRV_CTL_IOCTL_ELEM_LIST) return List((snd_ctl_elem_list*)arg);
        if (request == SNDRV_CTL_IOCTL_ELEM_INFO) return Info((snd_ctl_elem_info*)arg);
        if (request == SNDRV_CTL_IOCTL_ELEM_READ) return Read((snd_ctl_elem_value*)arg);
        if (request == SNDRV_CTL_IOCTL_ELEM_WRITE) return Write((snd_ctl_elem_value*)arg);
        // Capture asks for its subdevice on the card's control node too; the card takes the wish.
        if (request == SNDRV_CTL_IOCTL_PCM_PREFER_SUBDEVICE) { PreferredSubdevice = *(int*)arg; return 0; }
        return LibC.ENOTTY;
    }

    private int CardInfo(snd_ctl_card_info* info)
    {
        *info = default;
        info->card = 1;
        Put(info->id, 16, Id);
        Put(info->driver, 16, Driver);
        Put(info->name, 32, CardName);
        return 0;
    }

    private int List(snd_ctl_elem_list* list)
    {
        list->count = (uint)Elements.Count;
        list->used = 0;
        var ids = (snd_ctl_elem_id*)list->pids;
        for (uint i = list->offset; i < Elements.Count && list->used < list->space; i++)
        {
            if (ids == null) return LibC.EFAULT;
            ids[list->used++] = ElementId(i);
        }
        return 0;
    }

    private snd_ctl_elem_id ElementId(uint i)
    {
        var e = Elements[(int)i];
        snd_ctl_elem_id id = default;
        id.numid = i + 1;
        id.iface = e.Iface;
        id.index = e.Index;
        Put(id.name, SNDRV_CTL_ELEM_ID_NAME_MAXLEN, e.Name);
        return id;
    }

    private SimElement? Find(uint numid) => numid >= 1 && numid <= Elements.Count ? Elements[(int)numid - 1] : null;

    private int Info(snd_ctl_elem_info* info)
    {
        var e = Find(info->id.numid);
        if (e is null) return LibC.ENOENT;
        uint item = info->value.enumerated.item;
        info->id = ElementId(info->id.numid - 1);
        info->type = e.Type;
        info->access = (uint)e.Access;
        info->count = (uint)e.Values.Length;
        if (e.Type == SNDRV_CTL_ELEM_TYPE_ENUMERATED)
        {
            info->value.enumerated.items = (uint)e.Items.Length;
            if (item >= e.Items.Length) return LibC.EINVAL;
            Put(info->value.enumerated.name, 64, e.Items[item]);
        }
        else
        {
            info->value.integer.min = e.Min;
            info->value.integer.max = e.Max;
            info->value.integer.step = e.Step;
        }
        return 0;
    }

    private int Read(snd_ctl_elem_value* v)
    {
        var e = Find(v->id.numid);
        if (e is null) return LibC.ENOENT;
        if ((e.Access & SNDRV_CTL_ELEM_ACCESS_READ) == 0) return LibC.EPERM;
        for (int c = 0; c < e.Values.Length; c++)
        {
            if (e.Type == SNDRV_CTL_ELEM_TYPE_ENUMERATED) v->value.enumerated.item[c] = (uint)e.Values[c];
            else v->value.integer.value[c] = e.Values[c];
        }
        return 0;
    }

    private int Write(snd_ctl_elem_value* v)
    {
        var e = Find(v->id.numid);
        if (e is null) return LibC.ENOENT;
        if ((e.Access & SNDRV_CTL_ELEM_ACCESS_WRITE) == 0) return LibC.EPERM;
        if (WriteError != 0 && e.Name == WriteErrorElement) return WriteError;
        var next = new long[e.Values.Length];
        for (int c = 0; c < next.Length; c++)
        {
            long x = e.Type == SNDRV_CTL_ELEM_TYPE_ENUMERATED ? v->value.enumerated.item[c] : v->value.integer.value[c];
            long max = e.Type == SNDRV_CTL_ELEM_TYPE_ENUMERATED ? e.Items.Length - 1 : e.Max;
            if (x < e.Min || x > max || (e.Step > 1 && (x - e.Min) % e.Step != 0)) return LibC.EINVAL;
            next[c] = x;
        }
        next.CopyTo(e.Values, 0);
        Writes++;
        return 0;
    }

    private static void Put(byte* chars, int capacity, string text)
    {
        int n = Encoding.UTF8.GetBytes(text, new Span<byte>(chars, capacity - 1));
        chars[n] = 0;
    }
}
