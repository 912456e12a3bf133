namespace Fmp4Streamer.Mp4;

/// <summary>
/// Writes the init segment (ftyp + moov) of a fragmented MP4 with one H.264 video track (ISO/IEC 14496-12, -15).
/// Built once per parameter-set change and cached as bytes; no I/O.
/// </summary>
/// <remarks>
/// Box tree (sizes without SPS/PPS; add their lengths to avcC and every ancestor):
/// <code>
/// ftyp 36                        isom, minor 0x200, compatible isom iso2 iso5 avc1 mp41
/// moov 602
///   mvhd 108                     v0, timescale, duration 0, next_track_ID 2
///   trak 446
///     tkhd 92                    v0, flags 7, track 1, rotation matrix, width/height 16.16
///     mdia 346
///       mdhd 32                  v0, timescale, duration 0, language "und"
///       hdlr 45                  vide, "Fmp4Streamer"
///       minf 261
///         vmhd 20                flags 1
///         dinf 36
///           dref 28              1 entry
///             url  12            flags 1: media in this file
///         stbl 197
///           stsd 121             1 entry
///             avc1 105           width/height, 72 dpi, depth 24
///               avcC 19          profile/compat/level from SPS bytes 1..3, 4-byte lengths, 1 SPS, 1 PPS
///           stts 16              empty: samples live in the fragments (14496-12 8.8.1)
///           stsc 16              empty
///           stsz 20              empty
///           stco 16              empty
///   mvex 40
///     trex 32                    track 1, description 1, default flags non-sync
/// </code>
/// With audio, moov also holds <see cref="AudioTrakWriter"/>'s trak after the video's, mvhd's next_track_ID is 3
/// and mvex a second trex (track 2); without it the bytes are exactly the tree above.
/// Deliberate differences from the original program's init segment (compatibility §5): mvhd next_track_ID 2 instead of 0
/// (14496-12 8.2.2.3: larger than any track ID in use); avcC profile/level taken from the SPS instead of fixed
/// 0x64 0x00 0x2A; hdlr name "Fmp4Streamer"; no mehd (its fragment_duration 0 would declare an empty movie, and
/// a live stream has no known duration: 8.8.2 lets readers add up the fragments instead); stbl tables in the
/// order of 14496-12 Table 1 (stts, stsc, stsz, stco).
/// </remarks>
public static class InitSegmentWriter
{
    /// <summary>Bytes of the init segment besides the SPS and PPS.</summary>
    public const int FixedSize = 638;

    private const uint TrackId = 1;

    // 16.16 and 2.30 fixed-point matrix entries (14496-12 8.2.2.3, 6.2.2).
    private const uint One = 0x00010000;
    private const uint MinusOne = 0xFFFF0000;
    private const uint W = 0x40000000;

    private static ReadOnlySpan<byte> HandlerName => "Fmp4Streamer\0"u8;

    /// <summary>Total size of the init segment for these parameter sets.</summary>
    public static int GetSize(int spsLength, int ppsLength) => FixedSize + spsLength + ppsLength;

    /// <summary>Total size of the init segment with an audio track whose AudioSpecificConfig has <paramref name="ascLength"/> bytes.</summary>
    public static int GetSize(int spsLength, int ppsLength, int ascLength) =>
        GetSize(spsLength, ppsLength) + (ascLength > 0 ? AudioTrakWriter.GetSize(ascLength) + TrexSize : 0);

    private const int TrexSize = 32;

    /// <summary>Builds the init segment. Throws <see cref="ArgumentException"/> for invalid parameters.</summary>
    public static byte[] Build(in InitSegmentParameters p)
    {
        Validate(p);
        var bytes = new byte[GetSize(p.Sps.Length, p.Pps.Length, p.Audio.AudioSpecificConfig.Length)];
        int written = Write(bytes, p);
        System.Diagnostics.Debug.Assert(written == bytes.Length);
        return bytes;
    }

    /// <summary>Writes the init segment into <paramref name="dest"/> (at least <see cref="GetSize"/> bytes); returns its length.</summary>
    public static int Write(Span<byte> dest, in InitSegmentParameters p)
    {
        Validate(p);
        var w = new BoxWriter(dest);
        WriteFtyp(ref w);
        WriteMoov(ref w, p);
        w.AssertBalanced();
        return w.Position;
    }

    private static void Validate(in InitSegmentParameters p)
    {
        // nal_unit_type 7 plus at least profile_idc, constraint flags and level_idc (H.264 7.3.2.1.1).
        if (p.Sps.Length < 4 || (p.Sps[0] & 0x1F) != 7)
            throw new ArgumentException("SPS must be a NAL unit of type 7 (header byte included) of at least 4 bytes", nameof(p));
        if (p.Pps.Length < 2 || (p.Pps[0] & 0x1F) != 8)
            throw new ArgumentException("PPS must be a NAL unit of type 8 (header byte included)", nameof(p));
        if (p.Sps.Length > ushort.MaxValue || p.Pps.Length > ushort.MaxValue)
            throw new ArgumentException("parameter sets longer than 65535 bytes do not fit avcC", nameof(p));
        if (p.Width is <= 0 or > ushort.MaxValue || p.Height is <= 0 or > ushort.MaxValue)
            throw new ArgumentException($"picture size {p.Width}x{p.Height} out of range 1..65535", nameof(p));
        if (p.Timescale == 0)
            throw new ArgumentException("timescale must be positive", nameof(p));
        if (p.Rotation is not (0 or 90 or 180 or 270))
            throw new ArgumentException($"rotation {p.Rotation} is not one of 0, 90, 180, 270", nameof(p));
        if (p.HasAudio && (p.Audio.AudioSpecificConfig.Length > 100 || p.Audio.SampleRate is <= 0 or > ushort.MaxValue
            || p.Audio.Channels is < 1 or > 8 || p.Audio.FrameSamples <= 0))
            throw new ArgumentException("audio track: AudioSpecificConfig of 1..100 bytes, rate 1..65535, 1..8 channels", nameof(p));
    }

    private static void WriteFtyp(ref BoxWriter w)
    {
        int box = w.BeginBox(FourCC.Ftyp);
        w.WriteU32(FourCC.Isom);
        w.WriteU32(0x200);
        w.WriteU32(FourCC.Isom);
        w.WriteU32(FourCC.Iso2);
        w.WriteU32(FourCC.Iso5); // default-base-is-moof in tfhd (14496-12 8.8.7.1)
        w.WriteU32(FourCC.Avc1);
        w.WriteU32(FourCC.Mp41);
        w.EndBox(box);
    }

    private static void WriteMoov(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginBox(FourCC.Moov);
        WriteMvhd(ref w, p.Timescale, p.HasAudio ? AudioTrakWriter.TrackId + 1 : TrackId + 1);
        WriteTrak(ref w, p);
        if (p.HasAudio) AudioTrakWriter.Write(ref w, p.Audio);
        WriteMvex(ref w, p);
        w.EndBox(box);
    }

    private static void WriteMvhd(ref BoxWriter w, uint timescale, uint nextTrackId)
    {
        int box = w.BeginFullBox(FourCC.Mvhd, 0, 0);
        w.WriteU32(0); // creation_time
        w.WriteU32(0); // modification_time
        w.WriteU32(timescale);
        w.WriteU32(0); // duration: unknown, fragments follow
        w.WriteU32(0x00010000); // rate 1.0
        w.WriteU16(0x0100); // volume 1.0
        w.WriteZeros(2 + 8); // reserved
        WriteMatrix(ref w, 0);
        w.WriteZeros(6 * 4); // pre_defined
        w.WriteU32(nextTrackId);
        w.EndBox(box);
    }

    private static void WriteTrak(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginBox(FourCC.Trak);
        WriteTkhd(ref w, p);
        WriteMdia(ref w, p);
        w.EndBox(box);
    }

    private static void WriteTkhd(ref BoxWriter w, in InitSegmentParameters p)
    {
        // flags: track_enabled | track_in_movie | track_in_preview, as the original.
        int box = w.BeginFullBox(FourCC.Tkhd, 0, 7);
        w.WriteU32(0); // creation_time
        w.WriteU32(0); // modification_time
        w.WriteU32(TrackId);
        w.WriteU32(0); // reserved
        w.WriteU32(0); // duration
        w.WriteZeros(8); // reserved
        w.WriteU16(0); // layer
        w.WriteU16(0); // alternate_group
        w.WriteU16(0); // volume: 0 for video
        w.WriteU16(0); // reserved
        WriteMatrix(ref w, p.Rotation);
        // Not swapped for 90/270: width/height are the picture's, players apply the matrix (8.3.2.3).
        w.WriteU32((uint)p.Width << 16);
        w.WriteU32((uint)p.Height << 16);
        w.EndBox(box);
    }

    /// <summary>The 3x3 matrix {a b u, c d v, x y w} of 8.2.2.3/6.2.2 for a rotation; no translation terms, as the original.</summary>
    private static void WriteMatrix(ref BoxWriter w, int rotation)
    {
        (uint a, uint b, uint c, uint d) = rotation switch
        {
            90 => (0u, One, MinusOne, 0u),
            180 => (MinusOne, 0u, 0u, MinusOne),
            270 => (0u, MinusOne, One, 0u),
            _ => (One, 0u, 0u, One),
        };
        w.WriteU32(a); w.WriteU32(b); w.WriteU32(0);
        w.WriteU32(c); w.WriteU32(d); w.WriteU32(0);
        w.WriteU32(0); w.WriteU32(0); w.WriteU32(W);
    }

    private static void WriteMdia(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginBox(FourCC.Mdia);
        WriteMdhd(ref w, p.Timescale);
        WriteHdlr(ref w);
        WriteMinf(ref w, p);
        w.EndBox(box);
    }

    private static void WriteMdhd(ref BoxWriter w, uint timescale)
    {
        int box = w.BeginFullBox(FourCC.Mdhd, 0, 0);
        w.WriteU32(0); // creation_time
        w.WriteU32(0); // modification_time
        w.WriteU32(timescale);
        w.WriteU32(0); // duration
        w.WriteU16(0x55C4); // pad 0 + ISO-639-2/T "und", 5 bits per letter minus 0x60 (8.4.2.3)
        w.WriteU16(0); // pre_defined
        w.EndBox(box);
    }

    private static void WriteHdlr(ref BoxWriter w)
    {
        int box = w.BeginFullBox(FourCC.Hdlr, 0, 0);
        w.WriteU32(0); // pre_defined
        w.WriteU32(FourCC.Vide);
        w.WriteZeros(3 * 4); // reserved
        w.WriteBytes(HandlerName);
        w.EndBox(box);
    }

    private static void WriteMinf(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginBox(FourCC.Minf);
        WriteVmhd(ref w);
        WriteDinf(ref w);
        WriteStbl(ref w, p);
        w.EndBox(box);
    }

    private static void WriteVmhd(ref BoxWriter w)
    {
        int box = w.BeginFullBox(FourCC.Vmhd, 0, 1); // flags 1 is mandated (8.4.5.3)
        w.WriteU16(0); // graphicsmode: copy
        w.WriteZeros(3 * 2); // opcolor
        w.EndBox(box);
    }

    private static void WriteDinf(ref BoxWriter w)
    {
        int dinf = w.BeginBox(FourCC.Dinf);
        int dref = w.BeginFullBox(FourCC.Dref, 0, 0);
        w.WriteU32(1); // entry_count
        int url = w.BeginFullBox(FourCC.Url, 0, 1); // flags 1: media data in the same file, no location string
        w.EndBox(url);
        w.EndBox(dref);
        w.EndBox(dinf);
    }

    private static void WriteStbl(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginBox(FourCC.Stbl);
        WriteStsd(ref w, p);
        WriteEmptyTable(ref w, FourCC.Stts);
        WriteEmptyTable(ref w, FourCC.Stsc);
        WriteStsz(ref w);
        WriteEmptyTable(ref w, FourCC.Stco);
        w.EndBox(box);
    }

    private static void WriteStsd(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginFullBox(FourCC.Stsd, 0, 0);
        w.WriteU32(1); // entry_count
        WriteAvc1(ref w, p);
        w.EndBox(box);
    }

    /// <summary>VisualSampleEntry (14496-12 12.1.3) with an AVCConfigurationBox (14496-15 5.4.2.1).</summary>
    private static void WriteAvc1(ref BoxWriter w, in InitSegmentParameters p)
    {
        int box = w.BeginBox(FourCC.Avc1);
        w.WriteZeros(6); // reserved
        w.WriteU16(1); // data_reference_index: the url entry
        w.WriteU16(0); // pre_defined
        w.WriteU16(0); // reserved
        w.WriteZeros(3 * 4); // pre_defined
        w.WriteU16((ushort)p.Width);
        w.WriteU16((ushort)p.Height);
        w.WriteU32(0x00480000); // horizresolution 72 dpi
        w.WriteU32(0x00480000); // vertresolution 72 dpi
        w.WriteU32(0); // reserved
        w.WriteU16(1); // frame_count
        w.WriteZeros(32); // compressorname: empty Pascal string
        w.WriteU16(0x0018); // depth: colour, no alpha
        w.WriteU16(0xFFFF); // pre_defined -1
        WriteAvcC(ref w, p.Sps, p.Pps);
        w.EndBox(box);
    }

    /// <summary>
    /// AVCDecoderConfigurationRecord (14496-15 5.3.3.1). For High profiles (profile_idc 100, 110, 122, 144) the
    /// record may end with chroma_format, bit depths and SPS extensions. They are left out, as the original did:
    /// they only repeat the SPS, which decoders (FFmpeg, Chromium) parse for those values anyway, and readers
    /// must accept records that end after the PPS (the first edition of 14496-15 had no extension). Writing them
    /// would need an exp-Golomb SPS parse in this layer (the H264 layer owns that), and a wrong value would be
    /// worse than none. (FFmpeg 5.1's own muxer does write them.)
    /// </summary>
    private static void WriteAvcC(ref BoxWriter w, ReadOnlySpan<byte> sps, ReadOnlySpan<byte> pps)
    {
        int box = w.BeginBox(FourCC.AvcC);
        w.WriteU8(1); // configurationVersion
        w.WriteU8(sps[1]); // AVCProfileIndication = profile_idc
        w.WriteU8(sps[2]); // profile_compatibility = constraint_set flags
        w.WriteU8(sps[3]); // AVCLevelIndication = level_idc
        w.WriteU8(0xFC | 3); // reserved 6 bits, lengthSizeMinusOne 3: 4-byte NAL lengths in the samples
        w.WriteU8(0xE0 | 1); // reserved 3 bits, numOfSequenceParameterSets 1
        w.WriteU16((ushort)sps.Length);
        w.WriteBytes(sps);
        w.WriteU8(1); // numOfPictureParameterSets
        w.WriteU16((ushort)pps.Length);
        w.WriteBytes(pps);
        w.EndBox(box);
    }

    private static void WriteEmptyTable(ref BoxWriter w, uint type)
    {
        int box = w.BeginFullBox(type, 0, 0);
        w.WriteU32(0); // entry_count
        w.EndBox(box);
    }

    private static void WriteStsz(ref BoxWriter w)
    {
        int box = w.BeginFullBox(FourCC.Stsz, 0, 0);
        w.WriteU32(0); // sample_size: sizes vary
        w.WriteU32(0); // sample_count
        w.EndBox(box);
    }

    private static void WriteMvex(ref BoxWriter w, in InitSegmentParameters p)
    {
        int mvex = w.BeginBox(FourCC.Mvex);
        int trex = w.BeginFullBox(FourCC.Trex, 0, 0);
        w.WriteU32(TrackId);
        w.WriteU32(1); // default_sample_description_index
        w.WriteU32(0); // default_sample_duration: every trun carries its own
        w.WriteU32(0); // default_sample_size
        w.WriteU32(0x00010000); // default_sample_flags: non-sync; tfhd overrides per fragment
        w.EndBox(trex);
        if (p.HasAudio) AudioTrakWriter.WriteTrex(ref w, p.Audio.FrameSamples);
        w.EndBox(mvex);
    }
}
