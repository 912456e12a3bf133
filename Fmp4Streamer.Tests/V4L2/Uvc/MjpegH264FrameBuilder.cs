using System.Buffers.Binary;

namespace Fmp4Streamer.Tests.V4L2.Uvc;

/// <summary>
/// Builds MJPG frames the way a UVC 1.5 camera muxes H.264 into them (UVC H.264 payload spec, MJPEG container): SOI,
/// a JFIF APP0, a DQT, then APP4 segments — the first with the 22-byte payload header (wVersion, wHeaderLength,
/// dwStreamType, wWidth, wHeight, dwFrameInterval, wDelay, dwPresentationTime) and the u32 payload size — then a
/// small SOS with entropy bytes and EOI. <see cref="SegmentData"/> bytes per APP4 segment: 65531 (length field
/// 65533, 65535 bytes from one marker to the next) is the Logitech layout the original's fixed stride assumes; 65533
/// is the most a JPEG segment can hold.
/// </summary>
public sealed class MjpegH264FrameBuilder
{
    public const int HeaderLength = 22;
    public const int LogitechSegmentData = 65531;

    public int SegmentData { get; init; } = LogitechSegmentData;
    public int Width { get; init; } = 1280;
    public int Height { get; init; } = 720;

    /// <summary>Other marker segments (a COM) between the APP4 segments, which the demuxer must skip.</summary>
    public bool InterleaveComments { get; init; }

    /// <summary>Put the APP4 segments after the image's entropy data (before EOI) instead of before SOS.</summary>
    public bool App4AfterScan { get; init; }

    /// <summary>Overrides the advertised payload size (to build lying frames).</summary>
    public uint? AdvertisedSize { get; init; }

    public byte[] Build(ReadOnlySpan<byte> payload)
    {
        var o = new List<byte>(payload.Length + payload.Length / 8 + 256) { 0xFF, 0xD8 };
        AppendSegment(o, 0xE0, "JFIF\0\u0001\u0001\0\0\u0001\0\u0001\0\0"u8.ToArray());
        AppendSegment(o, 0xDB, new byte[65]);
        if (!App4AfterScan) AppendApp4s(o, payload);
        AppendSegment(o, 0xDA, new byte[10]);
        o.AddRange(new byte[] { 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56 }); // entropy data: stuffing and a restart
        if (App4AfterScan) AppendApp4s(o, payload);
        o.Add(0xFF);
        o.Add(0xD9);
        return o.ToArray();
    }

    private void AppendApp4s(List<byte> o, ReadOnlySpan<byte> payload)
    {
        var first = new byte[Math.Min(SegmentData, HeaderLength + 4 + payload.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(first.AsSpan(0), 0x0100); // wVersion 1.0
        BinaryPrimitives.WriteUInt16LittleEndian(first.AsSpan(2), HeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(4), 0x00000001); // dwStreamType
        BinaryPrimitives.WriteUInt16LittleEndian(first.AsSpan(8), (ushort)Width);
        BinaryPrimitives.WriteUInt16LittleEndian(first.AsSpan(10), (ushort)Height);
        BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(12), 333333); // dwFrameInterval, 100 ns
        BinaryPrimitives.WriteUInt16LittleEndian(first.AsSpan(16), 0); // wDelay
        BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(18), 12345); // dwPresentationTime
        BinaryPrimitives.WriteUInt32LittleEndian(first.AsSpan(HeaderLength), AdvertisedSize ?? (uint)payload.Length);
        int taken = first.Length - HeaderLength - 4;
        payload[..taken].CopyTo(first.AsSpan(HeaderLength + 4));
        AppendSegment(o, 0xE4, first);
        while (taken < payload.Length)
        {
            if (InterleaveComments) AppendSegment(o, 0xFE, "note"u8.ToArray());
            int n = Math.Min(SegmentData, payload.Length - taken);
            AppendSegment(o, 0xE4, payload.Slice(taken, n).ToArray());
            taken += n;
        }
    }

    private static void AppendSegment(List<byte> o, byte marker, byte[] data)
    {
        if (data.Length > 65533) throw new ArgumentException("segment too long");
        o.Add(0xFF);
        o.Add(marker);
        o.Add((byte)((data.Length + 2) >> 8));
        o.Add((byte)(data.Length + 2));
        o.AddRange(data);
    }
}
