using System.Buffers.Binary;

namespace Fmp4Streamer.V4L2.Uvc;

/// <summary>
/// Takes the H.264 access unit out of an MJPG frame muxed by a UVC 1.5 camera (capture_format MJPGH264, compatibility §7).
/// The first APP4 segment holds the UVC H.264 payload header (wVersion, wHeaderLength, ...), then the u32 payload
/// size and the first payload bytes; further APP4 segments continue the payload. Segments are walked by their own
/// length fields (not the original's fixed 65535-byte stride, which cut 4 bytes off payloads just below each multiple
/// of 64 KiB) and exactly the advertised size is kept. A payload inside one segment is returned as a view into the
/// frame; one spanning several is stitched into a buffer that only grows.
/// </summary>
public sealed class MjpegH264Demuxer
{
    private const byte MarkerPrefix = 0xFF;
    private const byte Soi = 0xD8;
    private const byte Eoi = 0xD9;
    private const byte Sos = 0xDA;
    private const byte App4 = 0xE4;
    private const byte Tem = 0x01;
    private const int MinPayloadHeaderLength = 4; // wVersion + wHeaderLength

    private byte[] _stitch = Array.Empty<byte>();

    /// <summary>Width and height from the payload header of the last demuxed frame (0 when the header is shorter).</summary>
    public int Width { get; private set; }

    public int Height { get; private set; }

    /// <summary>Frames whose payload spanned several segments and were stitched (the others were zero-copy).</summary>
    public long StitchedFrames { get; private set; }

    public bool TryDemux(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> accessUnit) =>
        Demux(frame, out accessUnit) == MjpegH264Status.Ok;

    /// <summary>
    /// The access unit of <paramref name="frame"/> as Annex B, valid until the next call (it may point into the frame
    /// or into this demuxer's buffer). Never throws on malformed input: the status says what was wrong.
    /// </summary>
    public MjpegH264Status Demux(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> accessUnit)
    {
        accessUnit = default;
        if (frame.Length < 2 || frame[0] != MarkerPrefix || frame[1] != Soi) return MjpegH264Status.NotJpeg;

        int pos = NextApp4(frame, 2, out int dataStart, out int dataLength);
        if (pos < 0) return MjpegH264Status.NoH264Payload;

        // First segment: payload header, u32 payload size, first payload bytes (UVC 1.5 H.264 payload, MJPEG container).
        var first = frame.Slice(dataStart, dataLength);
        if (first.Length < MinPayloadHeaderLength) return MjpegH264Status.Corrupt;
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(first.Slice(2));
        if (headerLength < MinPayloadHeaderLength || headerLength + 4 > first.Length) return MjpegH264Status.Corrupt;
        Width = headerLength >= 12 ? BinaryPrimitives.ReadUInt16LittleEndian(first.Slice(8)) : 0;
        Height = headerLength >= 12 ? BinaryPrimitives.ReadUInt16LittleEndian(first.Slice(10)) : 0;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(first.Slice(headerLength));
        if (size == 0) return MjpegH264Status.NoH264Payload;
        // The payload cannot be larger than the frame that carries it.
        if (size > (uint)frame.Length) return MjpegH264Status.Truncated;
        int total = (int)size;
        var head = first.Slice(headerLength + 4);
        if (head.Length >= total)
        {
            accessUnit = head.Slice(0, total);
            return MjpegH264Status.Ok;
        }

        if (_stitch.Length < total) _stitch = new byte[Math.Max(total, _stitch.Length * 2)];
        head.CopyTo(_stitch);
        int filled = head.Length;
        int next = dataStart + dataLength;
        while (filled < total)
        {
            if (NextApp4(frame, next, out dataStart, out dataLength) < 0) return MjpegH264Status.Truncated;
            int take = Math.Min(dataLength, total - filled);
            frame.Slice(dataStart, take).CopyTo(_stitch.AsSpan(filled));
            filled += take;
            next = dataStart + dataLength;
        }
        StitchedFrames++;
        accessUnit = _stitch.AsSpan(0, total);
        return MjpegH264Status.Ok;
    }

    /// <summary>
    /// The next APP4 segment at or after <paramref name="pos"/>: walks the JPEG marker segments by their lengths; past
    /// SOS (entropy-coded data, where FF is always followed by 00 or RSTn) or at anything that is not a marker, falls
    /// back to searching for FF E4, as the original did for the whole frame. Returns the marker's offset, or -1.
    /// </summary>
    private static int NextApp4(ReadOnlySpan<byte> frame, int pos, out int dataStart, out int dataLength)
    {
        dataStart = dataLength = 0;
        while (pos + 1 < frame.Length)
        {
            if (frame[pos] != MarkerPrefix) return SearchApp4(frame, pos, out dataStart, out dataLength);
            byte marker = frame[pos + 1];
            if (marker == MarkerPrefix) { pos++; continue; } // fill byte before a marker
            if (marker == Eoi) return -1;
            if (marker == Sos) return SearchApp4(frame, pos + 2, out dataStart, out dataLength);
            if (marker == Tem || marker is >= 0xD0 and <= 0xD7) { pos += 2; continue; } // markers without a length
            if (pos + 4 > frame.Length) return -1;
            int length = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(pos + 2));
            if (length < 2 || pos + 2 + length > frame.Length) return -1;
            if (marker == App4)
            {
                dataStart = pos + 4;
                dataLength = length - 2;
                return pos;
            }
            pos += 2 + length;
        }
        return -1;
    }

    private static int SearchApp4(ReadOnlySpan<byte> frame, int pos, out int dataStart, out int dataLength)
    {
        dataStart = dataLength = 0;
        if (pos >= frame.Length) return -1;
        ReadOnlySpan<byte> app4 = [MarkerPrefix, App4];
        int found = frame.Slice(pos).IndexOf(app4);
        if (found < 0) return -1;
        int at = pos + found;
        if (at + 4 > frame.Length) return -1;
        int length = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(at + 2));
        if (length < 2 || at + 2 + length > frame.Length) return -1;
        dataStart = at + 4;
        dataLength = length - 2;
        return at;
    }
}
