namespace Fmp4Streamer.Aac;

/// <summary>
/// Splits each group's bands into sections sharing one codebook (section_data, ISO/IEC 14496-3, 4.6.2.3.3) with
/// the fewest bits: a dynamic programme over bands whose state is the codebook of the open section; a new section
/// costs a 4-bit codebook and a length field. An all-zero band may join a neighbour's section when that is cheaper
/// than a section of its own, and then carries a repeated scalefactor (1 bit).
/// </summary>
internal sealed class SectionPlanner
{
    private const int MaxBandsPerGroup = 64;
    private readonly int[] _total = new int[MaxBandsPerGroup * SpectralCodebooks.Count];
    private readonly int[] _from = new int[MaxBandsPerGroup * SpectralCodebooks.Count];

    /// <summary>Section length field size: 5 bits for long windows, 3 for short.</summary>
    public static int LengthBits(bool isShort) => isShort ? 3 : 5;

    /// <summary>
    /// Chooses the codebook of bands [first, first + count) of one group from their costs (12 per band), writes
    /// them to <paramref name="codebooks"/> and returns the bits of the section data plus the spectral data.
    /// </summary>
    public int Plan(ReadOnlySpan<int> costs, int first, int count, bool isShort, Span<int> codebooks)
    {
        const int n = SpectralCodebooks.Count;
        int header = 4 + LengthBits(isShort);
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<int> cost = costs.Slice((first + b) * n, n);
            bool zeroBand = cost[0] == 0;
            int bestPrevious = 0, bestPreviousTotal = int.MaxValue;
            if (b > 0)
            {
                for (int c = 0; c < n; c++)
                {
                    int t = _total[(b - 1) * n + c];
                    if (t < bestPreviousTotal) { bestPreviousTotal = t; bestPrevious = c; }
                }
            }
            for (int c = 0; c < n; c++)
            {
                int own = cost[c] + (zeroBand && c != 0 ? 1 : 0);
                if (b == 0)
                {
                    _total[c] = header + own;
                    _from[c] = -1;
                    continue;
                }
                int extend = _total[(b - 1) * n + c], open = bestPreviousTotal + header;
                if (extend <= open) { _total[b * n + c] = extend + own; _from[b * n + c] = c; }
                else { _total[b * n + c] = open + own; _from[b * n + c] = bestPrevious; }
            }
        }
        int last = count - 1, cb = 0, best = int.MaxValue;
        for (int c = 0; c < n; c++)
            if (_total[last * n + c] < best) { best = _total[last * n + c]; cb = c; }
        for (int b = last; b >= 0; b--)
        {
            codebooks[first + b] = cb;
            int from = _from[b * n + cb];
            if (from >= 0) cb = from;
        }
        // Exact bits: band costs plus one header per section, with the length escapes the estimate left out.
        int bits = 0, escape = (1 << LengthBits(isShort)) - 1;
        for (int b = 0; b < count;)
        {
            int c = codebooks[first + b], end = b;
            while (end < count && codebooks[first + end] == c) { bits += costs[(first + end) * n + c]; end++; }
            bits += 4 + LengthBits(isShort) * ((end - b) / escape + 1);
            b = end;
        }
        return bits;
    }

    /// <summary>Writes section_data for bands [first, first + count) of one group.</summary>
    public static void Write(ref BitWriter writer, ReadOnlySpan<int> codebooks, int first, int count, bool isShort)
    {
        int lengthBits = LengthBits(isShort), escape = (1 << lengthBits) - 1;
        for (int b = 0; b < count;)
        {
            int c = codebooks[first + b], end = b;
            while (end < count && codebooks[first + end] == c) end++;
            writer.Write((uint)c, 4);
            int length = end - b;
            while (length >= escape) { writer.Write((uint)escape, lengthBits); length -= escape; }
            writer.Write((uint)length, lengthBits);
            b = end;
        }
    }
}
