using System.Buffers.Binary;

namespace Fmp4Streamer.H264;

/// <summary>
/// The H.264 Annex B byte stream: start codes, NAL enumeration, and conversion to the length-prefixed (AVCC)
/// form MP4 samples use (ISO/IEC 14496-15 5.3.4.2, 4-byte lengths). Allocation-free.
/// </summary>
public static class AnnexB
{
    internal static ReadOnlySpan<byte> StartCode3 => [0, 0, 1];

    /// <summary>Bytes of each NAL length field written by <see cref="ConvertToAvcc"/>.</summary>
    public const int AvccLengthSize = 4;

    /// <summary>
    /// Finds the first start code at or after <paramref name="from"/>. Returns the index where it begins (the
    /// zero byte of a 4-byte code, 00 00 00 01, which is a zero byte plus a 3-byte code) or -1, and its length.
    /// </summary>
    public static int FindStartCode(ReadOnlySpan<byte> data, int from, out int length)
    {
        length = 0;
        if ((uint)from >= (uint)data.Length) return -1;
        int found = data.Slice(from).IndexOf(StartCode3);
        if (found < 0) return -1;
        int at = from + found;
        if (at > from && data[at - 1] == 0)
        {
            length = 4;
            return at - 1;
        }
        length = 3;
        return at;
    }

    /// <summary>Each NAL of <paramref name="annexB"/> without start code or trailing zero bytes; use with foreach.</summary>
    public static NalEnumerator EnumerateNals(ReadOnlySpan<byte> annexB) => new(annexB);

    /// <summary>NALs that have no place in an MP4 sample: access unit delimiters and filler data.</summary>
    public static bool IsDroppedFromSamples(NalUnitType type) =>
        type is NalUnitType.AccessUnitDelimiter or NalUnitType.FillerData;

    /// <summary>Size of <see cref="ConvertToAvcc"/>'s output for <paramref name="annexB"/>.</summary>
    public static int AvccSize(ReadOnlySpan<byte> annexB)
    {
        int size = 0;
        foreach (var nal in EnumerateNals(annexB))
        {
            if (!IsDroppedFromSamples(NalUnit.TypeOf(nal[0]))) size += AvccLengthSize + nal.Length;
        }
        return size;
    }

    /// <summary>
    /// Writes each NAL as a 4-byte big-endian length and its bytes, dropping AUDs and filler data. Returns the
    /// bytes written; <paramref name="destination"/> must hold <see cref="AvccSize"/> bytes.
    /// </summary>
    public static int ConvertToAvcc(ReadOnlySpan<byte> annexB, Span<byte> destination)
    {
        int written = 0;
        foreach (var nal in EnumerateNals(annexB))
        {
            if (IsDroppedFromSamples(NalUnit.TypeOf(nal[0]))) continue;
            if (destination.Length - written < AvccLengthSize + nal.Length) ThrowDestinationTooSmall();
            BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(written), (uint)nal.Length);
            nal.CopyTo(destination.Slice(written + AvccLengthSize));
            written += AvccLengthSize + nal.Length;
        }
        return written;
    }

    /// <summary>True when the access unit holds an IDR slice (a sync sample).</summary>
    public static bool ContainsIdr(ReadOnlySpan<byte> annexB)
    {
        foreach (var nal in EnumerateNals(annexB))
        {
            if (NalUnit.TypeOf(nal[0]) == NalUnitType.Idr) return true;
        }
        return false;
    }

    /// <summary>The first NAL of <paramref name="type"/>, or an empty span.</summary>
    public static ReadOnlySpan<byte> FindNal(ReadOnlySpan<byte> annexB, NalUnitType type)
    {
        foreach (var nal in EnumerateNals(annexB))
        {
            if (NalUnit.TypeOf(nal[0]) == type) return nal;
        }
        return default;
    }

    /// <summary>The first SPS and first PPS NALs (header byte included); true when both are present.</summary>
    public static bool FindParameterSets(ReadOnlySpan<byte> annexB, out ReadOnlySpan<byte> sps, out ReadOnlySpan<byte> pps)
    {
        sps = default;
        pps = default;
        foreach (var nal in EnumerateNals(annexB))
        {
            var type = NalUnit.TypeOf(nal[0]);
            if (type == NalUnitType.Sps && sps.IsEmpty) sps = nal;
            else if (type == NalUnitType.Pps && pps.IsEmpty) pps = nal;
            if (!sps.IsEmpty && !pps.IsEmpty) return true;
        }
        return false;
    }

    /// <summary>
    /// Index just past the last non-zero byte of data[start..end): a NAL never ends in a zero byte (its RBSP ends
    /// with the stop bit, H.264 7.4.1), so trailing zeros are trailing_zero_8bits or a 4-byte start code's first byte.
    /// </summary>
    internal static int TrimTrailingZeros(ReadOnlySpan<byte> data, int start, int end)
    {
        int last = data.Slice(start, end - start).LastIndexOfAnyExcept((byte)0);
        return last < 0 ? start : start + last + 1;
    }

    private static void ThrowDestinationTooSmall() =>
        throw new ArgumentException("Destination is smaller than AnnexB.AvccSize.", "destination");
}
