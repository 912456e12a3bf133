namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// The CABAC arithmetic decoding engine (H.264 9.3.1.2 and 9.3.3.2) with its context variables: decisions, bypass
/// bins and the terminating bin, reading bits from an <see cref="RbspReader"/> so that its position stays exact
/// (I_PCM samples follow in the same reader).
/// </summary>
public sealed class CabacDecoder
{
    private readonly byte[] _state = new byte[CabacTables.ContextCount];   // pStateIdx << 1 | valMPS
    private RbspReader _reader = null!;
    private int _range;
    private int _offset;

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
        _range = 510;
        _offset = (int)reader.ReadBits(9);
    }

    public int DecodeDecision(int ctxIdx)
    {
        int s = _state[ctxIdx];
        int pState = s >> 1, valMps = s & 1;
        int lps = CabacTables.RangeLps[pState * 4 + ((_range >> 6) & 3)];
        _range -= lps;
        int bin;
        if (_offset >= _range)
        {
            bin = 1 - valMps;
            _offset -= _range;
            _range = lps;
            if (pState == 0) valMps = 1 - valMps;
            _state[ctxIdx] = (byte)((CabacTables.TransitionLps[pState] << 1) | valMps);
        }
        else
        {
            bin = valMps;
            _state[ctxIdx] = (byte)((Math.Min(pState + 1, 62) << 1) | valMps);
        }
        while (_range < 256)
        {
            _range <<= 1;
            _offset = (_offset << 1) | (int)_reader.ReadBits(1);
        }
        return bin;
    }

    public int DecodeBypass()
    {
        _offset = (_offset << 1) | (int)_reader.ReadBits(1);
        if (_offset >= _range)
        {
            _offset -= _range;
            return 1;
        }
        return 0;
    }

    /// <summary>end_of_slice_flag and the I_PCM bin of mb_type; after a 1 the reader stands where raw data may follow.</summary>
    public int DecodeTerminate()
    {
        _range -= 2;
        if (_offset >= _range) return 1;
        while (_range < 256)
        {
            _range <<= 1;
            _offset = (_offset << 1) | (int)_reader.ReadBits(1);
        }
        return 0;
    }
}
