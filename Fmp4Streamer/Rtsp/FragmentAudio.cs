using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Reads the audio units of a moof+mdat fragment as the hub builds them with sound: the second traf (the first is
/// the video's) with its tfhd, tfdt and trun (ISO/IEC 14496-12 8.8.7, 8.8.12, 8.8.8), data offsets counted from
/// the moof (default-base-is-moof). Allocates nothing.
/// </summary>
public static class FragmentAudio
{
    private const uint Moof = 0x6D6F6F66, Traf = 0x74726166, Tfhd = 0x74666864, Tfdt = 0x74666474, Trun = 0x7472756E;

    // tf_flags (8.8.7.1) and tr_flags (8.8.8.1).
    private const uint BaseDataOffsetPresent = 0x1, SampleDescriptionIndexPresent = 0x2, DefaultDurationPresent = 0x8;
    private const uint DataOffsetPresent = 0x1, FirstSampleFlagsPresent = 0x4, DurationPresent = 0x100,
        SizePresent = 0x200, FlagsPresent = 0x400, CompositionOffsetPresent = 0x800;

    /// <summary>False when the fragment has no audio traf, or one whose units lie outside the fragment.</summary>
    public static bool TryRead(ReadOnlySpan<byte> fragment, out AudioUnits units)
    {
        units = default;
        if (!Mp4Boxes.TryBox(fragment, out uint type, out var moof) || type != Moof) return false;
        int trafs = 0;
        while (Mp4Boxes.TryBox(moof, out type, out var body))
        {
            moof = moof[(body.Length + 8)..];
            if (type != Traf || ++trafs < 2) continue;
            return TryReadTraf(fragment, body, out units);
        }
        return false;
    }

    private static bool TryReadTraf(ReadOnlySpan<byte> fragment, ReadOnlySpan<byte> traf, out AudioUnits units)
    {
        units = default;
        var tfhd = Mp4Boxes.Find(traf, Tfhd);
        var tfdt = Mp4Boxes.Find(traf, Tfdt);
        var trun = Mp4Boxes.Find(traf, Trun);
        if (tfhd.Length < 8 || tfdt.Length < 8 || trun.Length < 8) return false;

        uint tfFlags = BinaryPrimitives.ReadUInt32BigEndian(tfhd) & 0xFFFFFF;
        if ((tfFlags & BaseDataOffsetPresent) != 0) return false; // the hub never writes one; offsets count from the moof
        int at = 8;
        if ((tfFlags & SampleDescriptionIndexPresent) != 0) at += 4;
        uint defaultDuration = 0;
        if ((tfFlags & DefaultDurationPresent) != 0)
        {
            if (tfhd.Length < at + 4) return false;
            defaultDuration = BinaryPrimitives.ReadUInt32BigEndian(tfhd[at..]);
        }

        ulong decodeTime = tfdt[0] == 1
            ? tfdt.Length >= 12 ? BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..]) : 0
            : BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]);

        uint trFlags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
        if ((trFlags & SizePresent) == 0 || (trFlags & DataOffsetPresent) == 0) return false;
        int count = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(trun[4..]), int.MaxValue);
        int dataOffset = BinaryPrimitives.ReadInt32BigEndian(trun[8..]);
        at = 12;
        if ((trFlags & FirstSampleFlagsPresent) != 0) at += 4;
        int sizeAt = at;
        if ((trFlags & DurationPresent) != 0)
        {
            if (trun.Length >= at + 4) defaultDuration = BinaryPrimitives.ReadUInt32BigEndian(trun[at..]);
            sizeAt += 4;
        }
        int stride = 4 * (1 + ((trFlags & DurationPresent) != 0 ? 1 : 0) + ((trFlags & FlagsPresent) != 0 ? 1 : 0)
            + ((trFlags & CompositionOffsetPresent) != 0 ? 1 : 0));
        if (count == 0 || (long)count * stride > trun.Length - sizeAt + (stride - 4)) return false;
        var sizes = trun[sizeAt..];
        long total = 0;
        for (int i = 0; i < count; i++) total += BinaryPrimitives.ReadUInt32BigEndian(sizes[(i * stride)..]);
        if (dataOffset < 0 || dataOffset + total > fragment.Length) return false;
        units = new AudioUnits(fragment.Slice(dataOffset, (int)total), sizes, stride, count, decodeTime, defaultDuration);
        return true;
    }
}
