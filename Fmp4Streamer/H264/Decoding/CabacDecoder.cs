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

    // The next state after a least probable symbol, by pStateIdx << 1 | valMPS (valMPS flips at pStateIdx 0).
    private static readonly byte[] s_nextLps = BuildNextLps();

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

    public int DecodeDecision(int ctxIdx)
    {
        ref byte state = ref _state[ctxIdx];
        uint s = state;
        uint range = _range;
        uint lps = Unsafe.Add(ref MemoryMarshal.GetReference(CabacTables.RangeLps), (int)(((s >> 1) << 2) | ((range >> 6) & 3)));
        range -= lps;
        uint offset = _offset;
        int bin;
        if (offset >= range)
        {
            bin = (int)(s & 1) ^ 1;
            offset -= range;
            range = lps;
            state = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(s_nextLps), (int)s);
        }
        else
        {
            bin = (int)(s & 1);
            if (s < 124) state = (byte)(s + 2);   // pStateIdx + 1, up to 62
            if (range >= 256)
            {
                _range = range;
                return bin;
            }
        }
        // Renormalisation (9.3.3.2.2): shift until the range has 9 bits again, the same number of bits into the offset.
        int shift = BitOperations.LeadingZeroCount(range) - 23;
        _range = range << shift;
        _offset = (offset << shift) | Take(shift);
        return bin;
    }

    public int DecodeBypass()
    {
        uint offset = (_offset << 1) | Take(1);
        if (offset >= _range)
        {
            _offset = offset - _range;
            return 1;
        }
        _offset = offset;
        return 0;
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

    /// <summary>The next <paramref name="count"/> (1..9) bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Take(int count)
    {
        if (_cacheBits < count) Refill();
        uint bits = (uint)(_cache >> (64 - count));
        _cache <<= count;
        _cacheBits -= count;
        _position += count;
        return bits;
    }

    /// <summary>
    /// Loads the cache from the current position. Past the end of the payload the padding's zeros are read, and then
    /// only zeros: a damaged slice runs out without reading outside the buffer, and the reader reports the overrun.
    /// </summary>
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

    private static byte[] BuildNextLps()
    {
        var next = new byte[128];
        for (int s = 0; s < 128; s++)
        {
            int pState = s >> 1, valMps = s & 1;
            int nextState = pState < 63 ? CabacTables.TransitionLps[pState] : 63;
            next[s] = (byte)((nextState << 1) | (pState == 0 ? 1 - valMps : valMps));
        }
        return next;
    }
}
