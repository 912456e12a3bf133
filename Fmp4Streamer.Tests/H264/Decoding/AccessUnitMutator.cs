using Fmp4Streamer.H264;

namespace Fmp4Streamer.Tests.H264.Decoding;

/// <summary>
/// Damages access units the ways a broken camera, a lossy link or a hostile peer would: flipped bits, a cut unit, a
/// removed run of bytes, random bytes, a dropped NAL unit, a slice naming another picture parameter set, foreign
/// parameter sets injected, or the whole unit lost (a missing reference). Writes into a caller's buffer, cheaply.
/// </summary>
internal sealed class AccessUnitMutator
{
    public const int Kinds = 10;
    private static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];
    private readonly Random _random;
    private readonly byte[] _foreign;

    /// <param name="foreignParameterSets">SPS and PPS NAL units (Annex B) of another stream, for the injection kind.</param>
    public AccessUnitMutator(int seed, byte[] foreignParameterSets)
    {
        _random = new Random(seed);
        _foreign = foreignParameterSets;
    }

    /// <summary>Writes a damaged copy of <paramref name="unit"/> to <paramref name="output"/>; returns its length (0: the unit is lost).</summary>
    public int Mutate(byte[] unit, byte[] output, out int kind)
    {
        Random random = _random;
        int length = unit.Length;
        kind = random.Next(Kinds);
        if (kind == 9) return 0;
        if (kind == 8)
        {
            _foreign.CopyTo(output, 0);
            unit.CopyTo(output, _foreign.Length);
            return _foreign.Length + unit.Length;
        }
        unit.CopyTo(output, 0);
        switch (kind)
        {
            case 0:
            case 1:
                for (int k = random.Next(1, 9); k > 0; k--)
                {
                    int at = random.Next(length);
                    output[at] ^= (byte)(1 << random.Next(8));
                }
                return length;
            case 2:
                return random.Next(length);
            case 3:
            {
                int at = random.Next(length);
                int count = Math.Min(random.Next(1, 64), length - at);
                Array.Copy(output, at + count, output, at, length - at - count);
                return length - count;
            }
            case 4:
            {
                int at = random.Next(length);
                random.NextBytes(output.AsSpan(at, Math.Min(random.Next(1, 32), length - at)));
                return length;
            }
            case 5:
                // A byte flipped where the slice header or a parameter set sits.
                output[Math.Min(length - 1, random.Next(4, 24))] ^= (byte)random.Next(1, 256);
                return length;
            case 6:
                return DropNal(unit, output, random);
            default:
                return RenamePps(unit, output, random);
        }
    }

    /// <summary>The unit without one of its NAL units (a slice of a multi-slice picture, a parameter set, an SEI).</summary>
    private static int DropNal(byte[] unit, byte[] output, Random random)
    {
        int count = 0;
        foreach (ReadOnlySpan<byte> _ in new NalEnumerator(unit)) count++;
        int victim = random.Next(Math.Max(count, 1));
        int written = 0, index = 0;
        var nals = new NalEnumerator(unit);
        while (nals.MoveNext())
        {
            if (index++ == victim) continue;
            StartCode.CopyTo(output.AsSpan(written));
            written += 4;
            nals.Current.CopyTo(output.AsSpan(written));
            written += nals.Current.Length;
        }
        return written;
    }

    /// <summary>
    /// Every slice of the unit re-coded with pic_parameter_set_id (the third ue(v) of the header) set to a random id,
    /// usually one never sent; the rest of each slice's bits shifted after it (emulation prevention ignored: rare
    /// this early in a header, and a broken unit is the point anyway).
    /// </summary>
    private static int RenamePps(byte[] unit, byte[] output, Random random)
    {
        uint ppsId = (uint)(random.Next(4) == 0 ? random.Next(256) : random.Next(3));
        int written = 0;
        var nals = new NalEnumerator(unit);
        while (nals.MoveNext())
        {
            ReadOnlySpan<byte> nal = nals.Current;
            StartCode.CopyTo(output.AsSpan(written));
            written += 4;
            NalUnitType type = NalUnit.TypeOf(nal[0]);
            if (type is not (NalUnitType.Slice or NalUnitType.Idr) || nal.Length < 2)
            {
                nal.CopyTo(output.AsSpan(written));
                written += nal.Length;
                continue;
            }
            var bits = new BitCopier(nal, output, written);
            bits.CopyBits(8);
            bits.CopyUe();
            bits.CopyUe();
            bits.SkipUe();
            bits.WriteUe(ppsId);
            bits.CopyRest();
            written = bits.Written;
        }
        return written;
    }

    /// <summary>Reads bits from a NAL and writes them, possibly changed, to the output.</summary>
    private ref struct BitCopier(ReadOnlySpan<byte> source, byte[] output, int start)
    {
        private readonly ReadOnlySpan<byte> _source = source;
        private int _readBit;
        private int _writeBit = start * 8;

        public readonly int Written => (_writeBit + 7) / 8;

        private int ReadBit()
        {
            if (_readBit >= _source.Length * 8) return 0;
            int bit = (_source[_readBit >> 3] >> (7 - (_readBit & 7))) & 1;
            _readBit++;
            return bit;
        }

        private void WriteBit(int bit)
        {
            int index = _writeBit >> 3;
            if ((_writeBit & 7) == 0) output[index] = 0;
            output[index] |= (byte)(bit << (7 - (_writeBit & 7)));
            _writeBit++;
        }

        public void CopyBits(int count)
        {
            for (int i = 0; i < count; i++) WriteBit(ReadBit());
        }

        public void CopyUe()
        {
            int zeros = 0;
            while (zeros < 32 && _readBit < _source.Length * 8 && ReadBit() == 0)
            {
                WriteBit(0);
                zeros++;
            }
            WriteBit(1);
            CopyBits(zeros);
        }

        public void SkipUe()
        {
            int zeros = 0;
            while (zeros < 32 && _readBit < _source.Length * 8 && ReadBit() == 0) zeros++;
            for (int i = 0; i < zeros; i++) ReadBit();
        }

        public void WriteUe(uint value)
        {
            ulong code = (ulong)value + 1;
            int length = 64 - System.Numerics.BitOperations.LeadingZeroCount(code);
            for (int i = 0; i < length - 1; i++) WriteBit(0);
            for (int i = length - 1; i >= 0; i--) WriteBit((int)(code >> i) & 1);
        }

        public void CopyRest()
        {
            while (_readBit < _source.Length * 8) WriteBit(ReadBit());
        }
    }
}
