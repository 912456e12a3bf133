using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// Reads the one sample of a moof+mdat fragment (as the hub builds them): the AVCC bytes in the mdat and the
/// sample's composition offset from the trun (ISO/IEC 14496-12 8.8.8), 0 when the trun has none.
/// </summary>
public static class FragmentSample
{
    private const uint Moof = 0x6D6F6F66, Traf = 0x74726166, Trun = 0x7472756E, Mdat = 0x6D646174;

    // tr_flags (8.8.8.1).
    private const uint DataOffsetPresent = 0x1, FirstSampleFlagsPresent = 0x4, DurationPresent = 0x100,
        SizePresent = 0x200, FlagsPresent = 0x400, CompositionOffsetPresent = 0x800;

    public static bool TryRead(ReadOnlySpan<byte> fragment, out ReadOnlySpan<byte> sample, out int compositionOffset)
    {
        sample = default;
        compositionOffset = 0;
        if (!Mp4Boxes.TryBox(fragment, out uint type, out var moof) || type != Moof) return false;
        var afterMoof = fragment[(moof.Length + 8)..];
        if (!Mp4Boxes.TryBox(afterMoof, out type, out var mdat) || type != Mdat) return false;
        sample = mdat;
        var traf = Mp4Boxes.Find(moof, Traf);
        if (traf.IsEmpty) return true;
        var trun = Mp4Boxes.Find(traf, Trun);
        if (trun.Length >= 8) compositionOffset = ReadCompositionOffset(trun);
        // The video traf comes first and its sample first in the mdat; sound units (a second traf) follow it.
        if (trun.Length >= 8 && ReadFirstSampleSize(trun) is int size && size > 0 && size <= sample.Length) sample = sample[..size];
        return true;
    }

    private static int? ReadFirstSampleSize(ReadOnlySpan<byte> trun)
    {
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
        if ((flags & SizePresent) == 0) return null;
        int at = 8;
        if ((flags & DataOffsetPresent) != 0) at += 4;
        if ((flags & FirstSampleFlagsPresent) != 0) at += 4;
        if ((flags & DurationPresent) != 0) at += 4;
        if (trun.Length < at + 4) return null;
        return (int)BinaryPrimitives.ReadUInt32BigEndian(trun[at..]);
    }

    private static int ReadCompositionOffset(ReadOnlySpan<byte> trun)
    {
        uint flags = BinaryPrimitives.ReadUInt32BigEndian(trun) & 0xFFFFFF;
        if ((flags & CompositionOffsetPresent) == 0) return 0;
        int at = 8; // version/flags, sample_count
        if ((flags & DataOffsetPresent) != 0) at += 4;
        if ((flags & FirstSampleFlagsPresent) != 0) at += 4;
        if ((flags & DurationPresent) != 0) at += 4;
        if ((flags & SizePresent) != 0) at += 4;
        if ((flags & FlagsPresent) != 0) at += 4;
        if (trun.Length < at + 4) return 0;
        // Version 0 stores it unsigned, version 1 signed; real offsets fit either way.
        return BinaryPrimitives.ReadInt32BigEndian(trun[at..]);
    }
}
