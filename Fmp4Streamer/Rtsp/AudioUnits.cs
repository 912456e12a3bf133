using System.Buffers.Binary;

namespace Fmp4Streamer.Rtsp;

/// <summary>
/// The audio access units of one fragment without copying them: their bytes back to back, their sizes as the trun
/// stores them (big-endian, <see cref="SizeStride"/> bytes apart), the first one's decode time and each one's
/// duration in the audio timescale.
/// </summary>
public readonly ref struct AudioUnits
{
    public AudioUnits(ReadOnlySpan<byte> data, ReadOnlySpan<byte> sizes, int sizeStride, int count, ulong decodeTime, uint unitDuration)
    {
        Data = data;
        Sizes = sizes;
        SizeStride = sizeStride;
        Count = count;
        DecodeTime = decodeTime;
        UnitDuration = unitDuration;
    }

    public ReadOnlySpan<byte> Data { get; }
    public ReadOnlySpan<byte> Sizes { get; }
    public int SizeStride { get; }
    public int Count { get; }
    public ulong DecodeTime { get; }
    public uint UnitDuration { get; }

    public int SizeOf(int index) => (int)BinaryPrimitives.ReadUInt32BigEndian(Sizes[(index * SizeStride)..]);
}
