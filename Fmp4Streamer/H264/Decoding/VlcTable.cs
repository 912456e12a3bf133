namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// Decodes one variable-length code table with a lookup of the next <c>primaryBits</c> bits, and a second lookup for
/// the longer codes that share a prefix. Built once from (length, code, value) rows taken from the standard's tables.
/// </summary>
public sealed class VlcTable
{
    private const int Invalid = int.MinValue;

    // Leaf: value << 8 | length (length 1..32). Link: -(offset << 8 | extraBits) - 1.
    private readonly int[] _entries;
    private readonly int _primaryBits;

    public VlcTable(int primaryBits, ReadOnlySpan<byte> lengths, ReadOnlySpan<ushort> codes, ReadOnlySpan<short> values)
    {
        _primaryBits = primaryBits;
        var entries = new List<int>(new int[1 << primaryBits]);
        for (int i = 0; i < entries.Count; i++) entries[i] = Invalid;

        // Short codes fill every primary slot that starts with them.
        for (int i = 0; i < lengths.Length; i++)
        {
            int length = lengths[i];
            if (length == 0 || length > primaryBits) continue;
            int first = codes[i] << (primaryBits - length);
            for (int j = 0; j < 1 << (primaryBits - length); j++) entries[first + j] = (values[i] << 8) | length;
        }

        // Long codes: one sub-table per primary prefix, as deep as the longest code below it.
        for (int prefix = 0; prefix < 1 << primaryBits; prefix++)
        {
            int maxLength = 0;
            for (int i = 0; i < lengths.Length; i++)
            {
                if (lengths[i] > primaryBits && codes[i] >> (lengths[i] - primaryBits) == prefix)
                {
                    maxLength = Math.Max(maxLength, lengths[i]);
                }
            }
            if (maxLength == 0) continue;
            int extra = maxLength - primaryBits;
            int offset = entries.Count;
            for (int j = 0; j < 1 << extra; j++) entries.Add(Invalid);
            for (int i = 0; i < lengths.Length; i++)
            {
                int length = lengths[i];
                if (length <= primaryBits || codes[i] >> (length - primaryBits) != prefix) continue;
                int rest = codes[i] & ((1 << (length - primaryBits)) - 1);
                int first = rest << (maxLength - length);
                for (int j = 0; j < 1 << (maxLength - length); j++)
                {
                    entries[offset + first + j] = (values[i] << 8) | (length - primaryBits);
                }
            }
            entries[prefix] = -((offset << 8) | extra) - 1;
        }
        _entries = entries.ToArray();
    }

    /// <summary>Reads one code and returns its value, or -1 (reader marked overrun) for a code not in the table.</summary>
    public int Read(RbspReader reader)
    {
        int entry = _entries[reader.Peek(_primaryBits)];
        if (entry >= 0)
        {
            reader.Skip(entry & 0xFF);
            return entry >> 8;
        }
        if (entry != Invalid)
        {
            int link = -(entry + 1);
            reader.Skip(_primaryBits);
            entry = _entries[(link >> 8) + (int)reader.Peek(link & 0xFF)];
            if (entry != Invalid)
            {
                reader.Skip(entry & 0xFF);
                return entry >> 8;
            }
        }
        reader.Seek(reader.BitLength + 1);
        return -1;
    }
}
