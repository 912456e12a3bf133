using System.Diagnostics;

namespace Fmp4Streamer.Mp4;

/// <summary>
/// Writes the header of a fragment that carries one video sample and the audio units captured since the previous
/// fragment: the video traf exactly as <see cref="FragmentWriter"/> writes it (so its tfdt stays at
/// <see cref="FragmentWriter.TfdtValueOffset"/>), then an audio traf. The caller has placed the video sample at
/// <c>dest[HeaderSize(n)..]</c> and the audio units right after it, so each byte is copied once.
/// </summary>
/// <remarks>
/// Box tree (ISO/IEC 14496-12 8.8), n audio units:
/// <code>
/// moof 180 + 4n
///   mfhd 16
///   traf 84            video, track 1 (as FragmentWriter)
///   traf 72 + 4n       audio, track 2
///     tfhd 24          flags default-base-is-moof | default-sample-duration | default-sample-flags: duration =
///                      one unit, flags 0 (every unit is a sync sample)
///     tfdt 20          v1 (at <see cref="AudioTfdtValueOffset"/>)
///     trun 20 + 4n     flags data-offset | sample-size; data_offset = moof + 8 + the video sample's size
/// mdat 8 + video + audio
/// </code>
/// </remarks>
public static class AvFragmentWriter
{
    private const int AudioTrafFixedSize = 72;
    private const int MdatHeaderSize = 8;

    /// <summary>Where the audio tfdt's 64-bit baseMediaDecodeTime starts: the video part 108, traf 8, tfhd 24, tfdt's head 12.</summary>
    public const int AudioTfdtValueOffset = FragmentWriter.MoofSize + 8 + 24 + 12;

    private const uint DefaultSampleDurationPresent = 0x000008;
    private const uint DefaultSampleFlagsPresent = 0x000020;
    private const uint DefaultBaseIsMoof = 0x020000;
    private const uint DataOffsetPresent = 0x000001;
    private const uint SampleSizePresent = 0x000200;

    /// <summary>Bytes before the video sample with <paramref name="audioUnits"/> audio units in the fragment.</summary>
    public static int HeaderSize(int audioUnits) => FragmentWriter.MoofSize + AudioTrafFixedSize + 4 * audioUnits + MdatHeaderSize;

    /// <summary>
    /// Writes moof and the mdat header into <c>dest[..HeaderSize(audioSizes.Length)]</c>; returns that size.
    /// <paramref name="audioSizes"/> are the audio units' lengths in mdat order (at least one). Allocates nothing.
    /// </summary>
    public static int WriteHeader(Span<byte> dest, uint sequenceNumber, ulong videoDecodeTime, uint videoDuration, bool isSync,
        int videoSize, int compositionTimeOffset, ulong audioDecodeTime, int frameSamples, ReadOnlySpan<int> audioSizes)
    {
        if (audioSizes.IsEmpty) throw new ArgumentException("an audio traf needs at least one unit", nameof(audioSizes));
        int headerSize = HeaderSize(audioSizes.Length);
        var w = new BoxWriter(dest[..headerSize]);
        int moof = w.BeginBox(FourCC.Moof);
        FragmentWriter.WriteMfhd(ref w, sequenceNumber);
        int videoOffsetAt = FragmentWriter.WriteTraf(ref w, videoDecodeTime, videoDuration, isSync, videoSize, compositionTimeOffset);
        int audioOffsetAt = WriteAudioTraf(ref w, audioDecodeTime, frameSamples, audioSizes);
        w.EndBox(moof);
        uint firstByte = (uint)(w.Position - moof + MdatHeaderSize);
        w.PatchU32(videoOffsetAt, firstByte);
        w.PatchU32(audioOffsetAt, firstByte + (uint)videoSize);
        long audioBytes = 0;
        foreach (int size in audioSizes) audioBytes += size;
        w.WriteU32((uint)(MdatHeaderSize + videoSize + audioBytes));
        w.WriteU32(FourCC.Mdat);
        w.AssertBalanced();
        Debug.Assert(w.Position == headerSize);
        return headerSize;
    }

    private static int WriteAudioTraf(ref BoxWriter w, ulong decodeTime, int frameSamples, ReadOnlySpan<int> sizes)
    {
        int traf = w.BeginBox(FourCC.Traf);
        int tfhd = w.BeginFullBox(FourCC.Tfhd, 0, DefaultBaseIsMoof | DefaultSampleDurationPresent | DefaultSampleFlagsPresent);
        w.WriteU32(AudioTrakWriter.TrackId);
        w.WriteU32((uint)frameSamples);
        w.WriteU32(0); // sample flags: depends on nothing, sync
        w.EndBox(tfhd);
        int tfdt = w.BeginFullBox(FourCC.Tfdt, 1, 0);
        Debug.Assert(w.Position == AudioTfdtValueOffset);
        w.WriteU64(decodeTime);
        w.EndBox(tfdt);
        int trun = w.BeginFullBox(FourCC.Trun, 0, DataOffsetPresent | SampleSizePresent);
        w.WriteU32((uint)sizes.Length);
        int offsetAt = w.Position;
        w.WriteU32(0); // data_offset, patched
        foreach (int size in sizes) w.WriteU32((uint)size);
        w.EndBox(trun);
        w.EndBox(traf);
        return offsetAt;
    }

    /// <summary>Whether <paramref name="fragment"/> has this writer's audio tfdt (version 1) at <see cref="AudioTfdtValueOffset"/>.</summary>
    public static bool HasAudioTfdt(ReadOnlySpan<byte> fragment) =>
        fragment.Length >= AudioTfdtValueOffset + 8
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fragment[(AudioTfdtValueOffset - 8)..]) == FourCC.Tfdt
        && fragment[AudioTfdtValueOffset - 4] == 1;
}
