using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The CABAC arithmetic decoding engine (H.264 9.3.1.2 and 9.3.3.2) with its context variables: decisions, bypass
/// bins and the terminating bin. The bits after codIOffset wait in a 64-bit cache refilled eight bytes at a time
/// from the <see cref="RbspReader"/>'s buffer, and renormalisation shifts by the range's leading zeros in one step
/// instead of a bit per loop. The reader's position is brought up to date at each refill and exactly after a
/// terminating bin of 1 (I_PCM samples and the end of the slice follow there).
/// </summary>
public sealed class CabacDecoder
{
    private readonly byte[] _state = new byte[CabacTables.ContextCount];   // pStateIdx << 1 | valMPS

    // The next state (pStateIdx << 1 | valMPS, Table 9-45): at 128 + s after the most probable symbol in state s, at
    // 127 - s after the least probable one (valMPS flips at pStateIdx 0), so that s ^ -1 selects the second half.
    private static ReadOnlySpan<byte> NextState =>
    [
        127, 126, 77, 76, 77, 76, 75, 74, 75, 74, 75, 74, 73, 72, 73, 72, 73, 72, 71, 70, 71, 70, 71, 70, 69, 68, 69, 68, 67, 66, 67, 66,
        67, 66, 65, 64, 65, 64, 63, 62, 61, 60, 61, 60, 61, 60, 59, 58, 59, 58, 57, 56, 55, 54, 55, 54, 53, 52, 53, 52, 51, 50, 49, 48,
        49, 48, 47, 46, 45, 44, 45, 44, 43, 42, 43, 42, 39, 38, 39, 38, 37, 36, 37, 36, 33, 32, 33, 32, 31, 30, 31, 30, 27, 26, 27, 26,
        25, 24, 23, 22, 23, 22, 19, 18, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 9, 8, 5, 4, 5, 4, 3, 2, 1, 0, 0, 1,
        2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33,
        34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65,
        66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97,
        98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 124, 125, 126, 127,
    ];

    private RbspReader _reader = null!;
    private byte[] _buffer = [];
    private int _readLimit;      // the last byte index an eight-byte refill may start at (inside the zero padding)
    private int _position;       // bit position in the buffer of the first bit not yet in codIOffset
    private ulong _cache;        // the bits from _position on, most significant first
    private int _cacheBits;      // how many of them are valid
    private uint _range;
    private uint _offset;

    /// <summary>Initialises the contexts for a slice (9.3.1.1): <paramref name="cabacInitIdc"/> -1 for I slices.</summary>
    public void InitContexts(int cabacInitIdc, int sliceQp)
    {
        ReadOnlySpan<sbyte> table = cabacInitIdc switch
        {
            0 => CabacTables.InitIdc0,
            1 => CabacTables.InitIdc1,
            2 => CabacTables.InitIdc2,
            _ => CabacTables.InitI,
        };
        int qp = Math.Clamp(sliceQp, 0, 51);
        for (int i = 0; i < CabacTables.ContextCount; i++)
        {
            int pre = Math.Clamp(((table[2 * i] * qp) >> 4) + table[2 * i + 1], 1, 126);
            _state[i] = pre <= 63 ? (byte)((63 - pre) << 1) : (byte)(((pre - 64) << 1) | 1);
        }
    }

    /// <summary>Starts the engine at the reader's position (slice data start, or after I_PCM samples).</summary>
    public void InitEngine(RbspReader reader)
    {
        _reader = reader;
        _buffer = reader.Buffer;
        _readLimit = reader.BitLength / 8 + RbspReader.Padding - 8;
        _position = reader.Position;
        Refill();
        _range = 510;
        _offset = Take(9);
    }

    /// <summary>
    /// DecodeDecision (9.3.3.2.1) without branches on the bin: which symbol came out is a mask that selects the new
    /// offset, range and state, since the symbol is unpredictable and a mispredicted branch costs more than the selects.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeDecision(int ctxIdx)
    {
        ref byte state = ref _state[ctxIdx];
        int s = state;
        uint range = _range;
        uint lps = Unsafe.Add(ref MemoryMarshal.GetReference(CabacTables.RangeLps), ((s >> 1) << 2) | (int)((range >> 6) & 3));
        range -= lps;
        uint offset = _offset;
        int lpsMask = (int)(range - 1 - offset) >> 31;   // -1 when offset >= range: the least probable symbol
        offset -= range & (uint)lpsMask;
        range += (lps - range) & (uint)lpsMask;
        s ^= lpsMask;
        state = Unsafe.Add(ref MemoryMarshal.GetReference(NextState), 128 + s);
        // Renormalisation (9.3.3.2.2): shift until the range has 9 bits again, the same number of bits into the offset.
        int shift = BitOperations.LeadingZeroCount(range) - 23;
        _range = range << shift;
        _offset = (offset << shift) | Take(shift);
        return s & 1;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int DecodeBypass()
    {
        uint offset = (_offset << 1) | Take(1);
        int below = (int)(offset - _range) >> 31;   // -1 when offset < range: a 0
        _offset = offset - (_range & ~(uint)below);
        return below + 1;
    }

    /// <summary>end_of_slice_flag and the I_PCM bin of mb_type; after a 1 the reader stands where raw data may follow.</summary>
    public int DecodeTerminate()
    {
        _range -= 2;
        if (_offset >= _range)
        {
            _reader.Seek(_position);
            return 1;
        }
        if (_range < 256)
        {
            int shift = BitOperations.LeadingZeroCount(_range) - 23;
            _range <<= shift;
            _offset = (_offset << shift) | Take(shift);
        }
        return 0;
    }

    /// <summary>The next <paramref name="count"/> (0..9) bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Take(int count)
    {
        if (_cacheBits < count) Refill();
        uint bits = (uint)((_cache >> 1) >> (63 - count));   // two shifts: a shift by 64 would be one by 0
        _cache <<= count;
        _cacheBits -= count;
        _position += count;
        return bits;
    }

    /// <summary>
    /// Loads the cache from the current position. Past the end of the payload the padding's zeros are read, and then
    /// only zeros: a damaged slice runs out without reading outside the buffer, and the reader reports the overrun.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill()
    {
        int at = _position >> 3;
        if (at <= _readLimit)
        {
            _cache = BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(at, 8)) << (_position & 7);
            _cacheBits = 64 - (_position & 7);
        }
        else
        {
            _cache = 0;
            _cacheBits = 64;
        }
        _reader.Seek(_position);
    }
}
