namespace Fmp4Streamer.Mp4;

/// <summary>
/// Writes the audio trak of the init segment: AAC in an MPEG-4 audio sample entry (ISO/IEC 14496-12 12.2.3,
/// 14496-14 5.6 for esds), track 2, timescale = sample rate.
/// </summary>
/// <remarks>
/// Box tree (add the AudioSpecificConfig's length to esds and every ancestor):
/// <code>
/// trak 410
///   tkhd 92                  v0, flags 7, track 2, volume 1.0, identity matrix, no size
///   mdia 310
///     mdhd 32                v0, timescale = sample rate, "und"
///     hdlr 45                soun, "Fmp4Streamer"
///     minf 225
///       smhd 16              balance 0
///       dinf 36              dref with one url entry (flags 1)
///       stbl 165
///         stsd 89            1 entry
///           mp4a 73          channels, 16 bits, sample rate 16.16
///             esds 37        ES_Descriptor { DecoderConfigDescriptor { AudioSpecificConfig }, SLConfigDescriptor }
///         stts stsc stsz stco   empty: samples live in the fragments
/// </code>
/// </remarks>
internal static class AudioTrakWriter
{
    public const uint TrackId = 2;

    /// <summary>Bytes of the trak besides the AudioSpecificConfig.</summary>
    public const int FixedSize = 410;

    // Object type indication 0x40: Audio ISO/IEC 14496-3 (14496-1 Table 5); stream type 5 (audio) << 2 | upStream 0 | reserved 1.
    private const byte ObjectTypeAudio = 0x40;
    private const byte StreamTypeAudio = 0x05 << 2 | 1;

    // Descriptor tags (14496-1 7.2.2.1).
    private const byte EsDescriptorTag = 0x03;
    private const byte DecoderConfigTag = 0x04;
    private const byte DecoderSpecificInfoTag = 0x05;
    private const byte SlConfigTag = 0x06;

    private static ReadOnlySpan<byte> HandlerName => "Fmp4Streamer\0"u8;

    public static int GetSize(int ascLength) => FixedSize + ascLength;

    public static void Write(ref BoxWriter w, in AudioTrackParameters p)
    {
        int start = w.Position;
        int trak = w.BeginBox(FourCC.Trak);
        WriteTkhd(ref w);
        int mdia = w.BeginBox(FourCC.Mdia);
        WriteMdhd(ref w, (uint)p.SampleRate);
        WriteHdlr(ref w);
        int minf = w.BeginBox(FourCC.Minf);
        int smhd = w.BeginFullBox(FourCC.Smhd, 0, 0);
        w.WriteU16(0); // balance: centre
        w.WriteU16(0); // reserved
        w.EndBox(smhd);
        WriteDinf(ref w);
        int stbl = w.BeginBox(FourCC.Stbl);
        int stsd = w.BeginFullBox(FourCC.Stsd, 0, 0);
        w.WriteU32(1); // entry_count
        WriteMp4a(ref w, p);
        w.EndBox(stsd);
        WriteEmpty(ref w, FourCC.Stts);
        WriteEmpty(ref w, FourCC.Stsc);
        int stsz = w.BeginFullBox(FourCC.Stsz, 0, 0);
        w.WriteU32(0); // sample_size: sizes vary
        w.WriteU32(0); // sample_count
        w.EndBox(stsz);
        WriteEmpty(ref w, FourCC.Stco);
        w.EndBox(stbl);
        w.EndBox(minf);
        w.EndBox(mdia);
        w.EndBox(trak);
        System.Diagnostics.Debug.Assert(w.Position - start == GetSize(p.AudioSpecificConfig.Length));
    }

    /// <summary>The track's trex (in mvex): every sample lasts one access unit and is a sync sample.</summary>
    public static void WriteTrex(ref BoxWriter w, int frameSamples)
    {
        int trex = w.BeginFullBox(FourCC.Trex, 0, 0);
        w.WriteU32(TrackId);
        w.WriteU32(1); // default_sample_description_index
        w.WriteU32((uint)frameSamples); // default_sample_duration
        w.WriteU32(0); // default_sample_size
        w.WriteU32(0); // default_sample_flags: every AAC unit decodes on its own
        w.EndBox(trex);
    }

    private static void WriteTkhd(ref BoxWriter w)
    {
        int box = w.BeginFullBox(FourCC.Tkhd, 0, 7); // enabled, in movie, in preview
        w.WriteU32(0); // creation_time
        w.WriteU32(0); // modification_time
        w.WriteU32(TrackId);
        w.WriteU32(0); // reserved
        w.WriteU32(0); // duration
        w.WriteZeros(8); // reserved
        w.WriteU16(0); // layer
        w.WriteU16(0); // alternate_group: none
        w.WriteU16(0x0100); // volume 1.0: an audio track
        w.WriteU16(0); // reserved
        // Identity matrix (8.2.2.3).
        w.WriteU32(0x00010000); w.WriteU32(0); w.WriteU32(0);
        w.WriteU32(0); w.WriteU32(0x00010000); w.WriteU32(0);
        w.WriteU32(0); w.WriteU32(0); w.WriteU32(0x40000000);
        w.WriteU32(0); // width
        w.WriteU32(0); // height
        w.EndBox(box);
    }

    private static void WriteMdhd(ref BoxWriter w, uint timescale)
    {
        int box = w.BeginFullBox(FourCC.Mdhd, 0, 0);
        w.WriteU32(0);
        w.WriteU32(0);
        w.WriteU32(timescale);
        w.WriteU32(0); // duration
        w.WriteU16(0x55C4); // "und"
        w.WriteU16(0);
        w.EndBox(box);
    }

    private static void WriteHdlr(ref BoxWriter w)
    {
        int box = w.BeginFullBox(FourCC.Hdlr, 0, 0);
        w.WriteU32(0); // pre_defined
        w.WriteU32(FourCC.Soun);
        w.WriteZeros(3 * 4);
        w.WriteBytes(HandlerName);
        w.EndBox(box);
    }

    private static void WriteDinf(ref BoxWriter w)
    {
        int dinf = w.BeginBox(FourCC.Dinf);
        int dref = w.BeginFullBox(FourCC.Dref, 0, 0);
        w.WriteU32(1);
        int url = w.BeginFullBox(FourCC.Url, 0, 1);
        w.EndBox(url);
        w.EndBox(dref);
        w.EndBox(dinf);
    }

    private static void WriteEmpty(ref BoxWriter w, uint type)
    {
        int box = w.BeginFullBox(type, 0, 0);
        w.WriteU32(0);
        w.EndBox(box);
    }

    /// <summary>AudioSampleEntry (14496-12 12.2.3) with its esds (14496-14 5.6.1).</summary>
    private static void WriteMp4a(ref BoxWriter w, in AudioTrackParameters p)
    {
        int box = w.BeginBox(FourCC.Mp4a);
        w.WriteZeros(6); // reserved
        w.WriteU16(1); // data_reference_index
        w.WriteZeros(8); // reserved (version 0 entry)
        w.WriteU16((ushort)p.Channels);
        w.WriteU16(16); // samplesize
        w.WriteU16(0); // pre_defined
        w.WriteU16(0); // reserved
        w.WriteU32((uint)p.SampleRate << 16); // 16.16; every rate offered fits 16 bits
        WriteEsds(ref w, p);
        w.EndBox(box);
    }

    /// <summary>
    /// ES_Descriptor (14496-1 7.2.6.5) with one-byte lengths (every part is under 128 bytes): ES_ID 0 and no
    /// dependencies, as the MP4 file format asks (14496-14 3.1.2); the DecoderConfigDescriptor's buffer size and
    /// bit rates are left 0 (unknown), which decoders ignore.
    /// </summary>
    private static void WriteEsds(ref BoxWriter w, in AudioTrackParameters p)
    {
        int asc = p.AudioSpecificConfig.Length;
        int box = w.BeginFullBox(FourCC.Esds, 0, 0);
        w.WriteU8(EsDescriptorTag);
        w.WriteU8((byte)(3 + 2 + 13 + 2 + asc + 3));
        w.WriteU16(0); // ES_ID
        w.WriteU8(0); // no stream dependence, URL or OCR stream; priority 0
        w.WriteU8(DecoderConfigTag);
        w.WriteU8((byte)(13 + 2 + asc));
        w.WriteU8(ObjectTypeAudio);
        w.WriteU8(StreamTypeAudio);
        w.WriteU8(0); w.WriteU16(0); // bufferSizeDB (24 bits)
        w.WriteU32(0); // maxBitrate
        w.WriteU32(0); // avgBitrate
        w.WriteU8(DecoderSpecificInfoTag);
        w.WriteU8((byte)asc);
        w.WriteBytes(p.AudioSpecificConfig);
        w.WriteU8(SlConfigTag);
        w.WriteU8(1);
        w.WriteU8(2); // predefined 2: reserved for use in MP4 files
        w.EndBox(box);
    }
}
