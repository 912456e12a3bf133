namespace Fmp4Streamer.H264;

/// <summary>
/// Cuts an Annex B byte stream that arrives in arbitrary chunks (a pipe from rpicam-vid or ffmpeg) into access
/// units, following H.264 7.4.1.2.3: once a picture's slices have been seen, the next AUD, SPS, PPS, SEI, NAL of
/// type 14 to 18, or slice with first_mb_in_slice == 0 opens a new access unit. An access unit is therefore
/// known to be complete only when the first bytes of the next one have arrived.
/// One growable buffer, compacted in place: no allocation per access unit once it has grown to the largest one.
/// </summary>
public sealed class AccessUnitSplitter
{
    /// <summary>Default bound on buffered bytes: far above any real access unit, small enough to survive garbage.</summary>
    public const int DefaultMaxBufferedBytes = 16 * 1024 * 1024;

    /// <summary>A slice's first_mb_in_slice is decodable from this many payload bytes (a ue(v) below 2^17).</summary>
    private const int SliceHeaderProbeBytes = 16;

    private readonly int _maxBufferedBytes;
    private byte[] _buffer;
    private int _dataEnd;

    private bool _inAu;          // an access unit has begun at _auStart
    private int _auStart;
    private bool _auHasVcl;

    private bool _inNal;         // a start code was found; the NAL's payload begins at _nalPayload
    private int _nalCodeStart;   // its start code, with at most one leading zero (a 4-byte code)
    private int _nalPayload;
    private int _nalPrevEnd;     // end of the bytes before its start code, trailing zeros excluded
    private bool _nalDecided;    // whether it was checked for opening an access unit

    private int _scanPos;        // where the next start code search begins
    private bool _flushed;

    public AccessUnitSplitter(int initialCapacity = 256 * 1024, int maxBufferedBytes = DefaultMaxBufferedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedBytes, 16);
        _maxBufferedBytes = maxBufferedBytes;
        _buffer = new byte[Math.Clamp(initialCapacity, 16, maxBufferedBytes)];
    }

    /// <summary>Times the buffer passed its bound and was emptied (the stream resynchronises on the next access unit).</summary>
    public int Overflows { get; private set; }

    /// <summary>Bytes thrown away by overflows.</summary>
    public long DroppedBytes { get; private set; }

    /// <summary>Bytes held: the incomplete access unit and anything not yet examined.</summary>
    public int BufferedBytes => _dataEnd - KeepFrom;

    /// <summary>Current buffer size; grows to fit the largest access unit plus one chunk.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Adds bytes read from the stream. Invalidates the span last returned.</summary>
    public void Append(ReadOnlySpan<byte> chunk)
    {
        if (_flushed)
        {
            _dataEnd = 0;
            _scanPos = 0;
            _flushed = false;
        }
        if (chunk.IsEmpty) return;

        int keepFrom = KeepFrom;
        if (_dataEnd - keepFrom + (long)chunk.Length > _maxBufferedBytes)
        {
            Overflows++;
            DroppedBytes += _dataEnd - keepFrom;
            ResetState();
            _dataEnd = 0;
            keepFrom = 0;
            if (chunk.Length > _maxBufferedBytes)
            {
                DroppedBytes += chunk.Length - _maxBufferedBytes;
                chunk = chunk.Slice(chunk.Length - _maxBufferedBytes);
            }
        }

        if (_buffer.Length - _dataEnd < chunk.Length) MakeRoom(keepFrom, chunk.Length);
        chunk.CopyTo(_buffer.AsSpan(_dataEnd));
        _dataEnd += chunk.Length;
    }

    /// <summary>
    /// Returns the next complete access unit as Annex B bytes (starting with its start code), valid until the next
    /// call to <see cref="Append"/> or <see cref="TryTakeAccessUnit"/>. False when more bytes are needed.
    /// </summary>
    public bool TryTakeAccessUnit(out ReadOnlySpan<byte> accessUnit)
    {
        accessUnit = default;
        if (_flushed) return false;
        while (true)
        {
            int found = _scanPos < _dataEnd ? _buffer.AsSpan(_scanPos, _dataEnd - _scanPos).IndexOf(AnnexB.StartCode3) : -1;
            if (found >= 0) found += _scanPos;

            if (_inNal && !_nalDecided)
            {
                bool complete = found >= 0;
                int end = complete ? AnnexB.TrimTrailingZeros(_buffer, _nalPayload, found) : _dataEnd;
                var decision = Decide(_buffer.AsSpan(_nalPayload, end - _nalPayload), complete);
                if (decision == Decision.NeedMoreData)
                {
                    _scanPos = Math.Max(_scanPos, _dataEnd - 2);
                    return false;
                }
                _nalDecided = true;
                bool vcl = decision == Decision.OpensAccessUnitVcl || decision == Decision.ContinuesVcl;
                if (decision is Decision.OpensAccessUnit or Decision.OpensAccessUnitVcl)
                {
                    if (_inAu && _auHasVcl)
                    {
                        accessUnit = _buffer.AsSpan(_auStart, _nalPrevEnd - _auStart);
                        _auStart = _nalCodeStart;
                        _auHasVcl = vcl;
                        return true;
                    }
                    if (!_inAu)
                    {
                        _inAu = true;
                        _auStart = _nalCodeStart;
                    }
                }
                // A NAL that cannot open an access unit while none is open (garbage, or the rest of a picture
                // after an overflow) is skipped.
                if (vcl && _inAu) _auHasVcl = true;
            }

            if (found < 0)
            {
                _scanPos = Math.Max(_scanPos, _dataEnd - 2);
                return false;
            }

            int lower = _inNal ? _nalPayload : KeepFrom;
            int zeroRun = found;
            while (zeroRun > lower && _buffer[zeroRun - 1] == 0) zeroRun--;
            // After an empty NAL (00 00 01 00 00 01) the bytes before this code still end where the last real NAL did.
            if (!_inNal || _nalPayload < found) _nalPrevEnd = zeroRun;
            _nalCodeStart = zeroRun < found ? found - 1 : found;
            _nalPayload = found + 3;
            _inNal = true;
            _nalDecided = false;
            _scanPos = _nalPayload;
        }
    }

    /// <summary>
    /// At the end of the stream: returns what remains of the last access unit (trailing zeros removed), or an empty
    /// span, and resets the splitter. Call after <see cref="TryTakeAccessUnit"/> has returned false. The span is
    /// valid until the next <see cref="Append"/>.
    /// </summary>
    public ReadOnlySpan<byte> Flush()
    {
        if (_flushed) return default;
        int start = -1;
        if (_inAu) start = _auStart;
        else if (_inNal && !_nalDecided) start = _nalCodeStart;
        ReadOnlySpan<byte> rest = default;
        if (start >= 0)
        {
            int end = AnnexB.TrimTrailingZeros(_buffer, start, _dataEnd);
            rest = _buffer.AsSpan(start, end - start);
        }
        ResetState();
        _flushed = true;
        return rest;
    }

    private enum Decision { NeedMoreData, OpensAccessUnit, OpensAccessUnitVcl, ContinuesVcl, Continues }

    private static Decision Decide(ReadOnlySpan<byte> payload, bool complete)
    {
        if (payload.IsEmpty) return complete ? Decision.Continues : Decision.NeedMoreData;
        var type = NalUnit.TypeOf(payload[0]);
        if (!type.IsVcl()) return type.StartsAccessUnit() ? Decision.OpensAccessUnit : Decision.Continues;

        var reader = new BitReader(payload.Slice(1));
        uint firstMbInSlice = reader.ReadUe();
        if (reader.Failed)
        {
            // Undecodable even with all its bytes: garbage, kept with the picture it arrived in.
            return complete || payload.Length >= SliceHeaderProbeBytes ? Decision.ContinuesVcl : Decision.NeedMoreData;
        }
        return firstMbInSlice == 0 ? Decision.OpensAccessUnitVcl : Decision.ContinuesVcl;
    }

    /// <summary>Bytes before this index are no longer needed.</summary>
    private int KeepFrom =>
        _flushed ? _dataEnd
        : _inAu ? _auStart
        : _inNal ? _nalCodeStart
        : Math.Max(0, _scanPos - 1); // keeps a zero that may begin a 4-byte start code

    private void ResetState()
    {
        _inAu = false;
        _auHasVcl = false;
        _inNal = false;
        _nalDecided = false;
        _scanPos = 0;
    }

    /// <summary>Moves the kept bytes to the front, growing the buffer first when they and the chunk do not fit.</summary>
    private void MakeRoom(int keepFrom, int chunkLength)
    {
        int kept = _dataEnd - keepFrom;
        int needed = kept + chunkLength;
        if (needed > _buffer.Length)
        {
            var bigger = new byte[(int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), _maxBufferedBytes)];
            _buffer.AsSpan(keepFrom, kept).CopyTo(bigger);
            _buffer = bigger;
        }
        else if (keepFrom > 0)
        {
            _buffer.AsSpan(keepFrom, kept).CopyTo(_buffer);
        }
        _dataEnd = kept;
        _auStart -= keepFrom;
        _nalCodeStart -= keepFrom;
        _nalPayload -= keepFrom;
        _nalPrevEnd = Math.Max(0, _nalPrevEnd - keepFrom);
        _scanPos = Math.Max(0, _scanPos - keepFrom);
    }
}
