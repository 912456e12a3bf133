namespace Fmp4Streamer.Mp4;

/// <summary>
/// Writes the header of a one-sample media fragment (moof + the mdat header) in front of a sample that the caller
/// has already placed at <c>dest[HeaderSize..]</c>, so the sample is copied once. One fragment per frame, built
/// once per stream and shared by every client.
/// </summary>
/// <remarks>
/// Box tree (ISO/IEC 14496-12 8.8); the size is fixed because there is always exactly one sample:
/// <code>
/// moof 108
///   mfhd 16       sequence_number
///   traf 84
///     tfhd 20     flags default-base-is-moof | default-sample-flags-present, track 1, default flags non-sync
///     tfdt 20     v1: 64-bit baseMediaDecodeTime (at <see cref="TfdtValueOffset"/>)
///     trun 36     v1, flags data-offset | first-sample-flags | sample-duration | sample-size |
///                 sample-composition-time-offset, 1 sample,
///                 data_offset = moof size + 8 (from the moof start, because default-base-is-moof)
/// mdat 8 + sample size
/// </code>
/// The composition time offset is always written (0 without B-frames) so the header keeps one size. Version 1
/// makes it signed (8.8.8.3); the hub only writes offsets of 0 or more. The original program's fragment is the
/// same but for trun (version 0, no composition offsets).
/// </remarks>
public static class FragmentWriter
{
    internal const int MoofSize = 108;
    private const int MdatHeaderSize = 8;

    /// <summary>Bytes before the sample: the moof and the mdat header.</summary>
    public const int HeaderSize = MoofSize + MdatHeaderSize;

    /// <summary>
    /// Where the tfdt's 64-bit baseMediaDecodeTime starts in every fragment: moof 8 + mfhd 16 + traf 8 + tfhd 20 +
    /// tfdt's size, type, version and flags 12. A client's own timeline is gathered in its place.
    /// </summary>
    public const int TfdtValueOffset = 64;

    private const uint TrackId = 1;

    // tf_flags (8.8.7.1).
    private const uint DefaultSampleFlagsPresent = 0x000020;
    private const uint DefaultBaseIsMoof = 0x020000;

    // tr_flags (8.8.8.1).
    private const uint DataOffsetPresent = 0x000001;
    private const uint FirstSampleFlagsPresent = 0x000004;
    private const uint SampleDurationPresent = 0x000100;
    private const uint SampleSizePresent = 0x000200;
    private const uint SampleCompositionTimeOffsetPresent = 0x000800;

    /// <summary>sample_depends_on 2 (an I picture), is_non_sync 0: a key frame (8.8.3.1, 8.6.4.3).</summary>
    public const uint SyncSampleFlags = 0x02000000;

    /// <summary>sample_depends_on 1 (refers to others), sample_is_non_sync_sample 1.</summary>
    public const uint NonSyncSampleFlags = 0x01010000;

    /// <summary>
    /// Writes moof and the mdat header into <c>dest[..HeaderSize]</c> for a sample of <paramref name="sampleSize"/>
    /// bytes (AVCC: 4-byte lengths) that follows at <c>dest[HeaderSize..]</c> (or is sent after the header from
    /// elsewhere: only <c>dest[..HeaderSize]</c> is touched); returns <see cref="HeaderSize"/>. Allocates nothing.
    /// </summary>
    /// <param name="sequenceNumber">mfhd sequence number; 14496-12 8.8.5 wants it to increase, starting at 1.</param>
    /// <param name="baseMediaDecodeTime">Sum of all earlier durations, in the track timescale.</param>
    /// <param name="compositionTimeOffset">Presentation time minus decode time, in the track timescale (8.8.8.3).</param>
    public static int WriteHeader(Span<byte> dest, uint sequenceNumber, ulong baseMediaDecodeTime, uint duration,
        bool isSync, int sampleSize, int compositionTimeOffset = 0)
    {
        if (sampleSize < 0) ThrowSampleSize(sampleSize);
        var w = new BoxWriter(dest[..HeaderSize]);
        int moof = w.BeginBox(FourCC.Moof);
        WriteMfhd(ref w, sequenceNumber);
        int dataOffsetAt = WriteTraf(ref w, baseMediaDecodeTime, duration, isSync, sampleSize, compositionTimeOffset);
        w.EndBox(moof);
        w.PatchU32(dataOffsetAt, (uint)(w.Position - moof + MdatHeaderSize));
        WriteMdatHeader(ref w, sampleSize);
        w.AssertBalanced();
        System.Diagnostics.Debug.Assert(w.Position == HeaderSize);
        return HeaderSize;
    }

    internal static void WriteMfhd(ref BoxWriter w, uint sequenceNumber)
    {
        int box = w.BeginFullBox(FourCC.Mfhd, 0, 0);
        w.WriteU32(sequenceNumber);
        w.EndBox(box);
    }

    /// <returns>Where trun's data_offset is, to patch once the moof size is known.</returns>
    internal static int WriteTraf(ref BoxWriter w, ulong baseMediaDecodeTime, uint duration, bool isSync, int sampleSize,
        int compositionTimeOffset)
    {
        int box = w.BeginBox(FourCC.Traf);
        WriteTfhd(ref w);
        System.Diagnostics.Debug.Assert(w.Position + 12 == TfdtValueOffset);
        WriteTfdt(ref w, baseMediaDecodeTime);
        int dataOffsetAt = WriteTrun(ref w, duration, isSync, sampleSize, compositionTimeOffset);
        w.EndBox(box);
        return dataOffsetAt;
    }

    private static void WriteTfhd(ref BoxWriter w)
    {
        int box = w.BeginFullBox(FourCC.Tfhd, 0, DefaultBaseIsMoof | DefaultSampleFlagsPresent);
        w.WriteU32(TrackId);
        w.WriteU32(NonSyncSampleFlags);
        w.EndBox(box);
    }

    private static void WriteTfdt(ref BoxWriter w, ulong baseMediaDecodeTime)
    {
        // Version 1 (64 bits): at 90 kHz a 32-bit time wraps after 13.3 hours.
        int box = w.BeginFullBox(FourCC.Tfdt, 1, 0);
        w.WriteU64(baseMediaDecodeTime);
        w.EndBox(box);
    }

    private static int WriteTrun(ref BoxWriter w, uint duration, bool isSync, int sampleSize, int compositionTimeOffset)
    {
        int box = w.BeginFullBox(FourCC.Trun, 1, DataOffsetPresent | FirstSampleFlagsPresent | SampleDurationPresent
            | SampleSizePresent | SampleCompositionTimeOffsetPresent);
        w.WriteU32(1); // sample_count
        int dataOffsetAt = w.Position;
        w.WriteU32(0); // data_offset, patched
        w.WriteU32(isSync ? SyncSampleFlags : NonSyncSampleFlags);
        w.WriteU32(duration);
        w.WriteU32((uint)sampleSize);
        w.WriteU32((uint)compositionTimeOffset); // signed in version 1
        w.EndBox(box);
        return dataOffsetAt;
    }

    private static void WriteMdatHeader(ref BoxWriter w, int sampleSize)
    {
        // Written directly, not with Begin/EndBox: the payload is already in place after the header.
        w.WriteU32((uint)(MdatHeaderSize + sampleSize));
        w.WriteU32(FourCC.Mdat);
    }

    /// <summary>Whether <paramref name="fragment"/> has a version 1 tfdt at <see cref="TfdtValueOffset"/>, as this writer writes it.</summary>
    public static bool HasTfdt(ReadOnlySpan<byte> fragment) =>
        fragment.Length >= TfdtValueOffset + 8
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fragment[(TfdtValueOffset - 8)..]) == FourCC.Tfdt
        && fragment[TfdtValueOffset - 4] == 1;

    private static void ThrowSampleSize(int sampleSize) =>
        throw new ArgumentOutOfRangeException(nameof(sampleSize), sampleSize, "sample size must be 0 or more");
}
