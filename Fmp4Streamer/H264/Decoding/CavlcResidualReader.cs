using System.Numerics;

namespace Fmp4Streamer.H264.Decoding;

/// <summary>
/// residual_block_cavlc() (H.264 7.3.5.3.2 and 9.2): one block's coefficient levels and where they sit in scan
/// order. Returns TotalCoeff, or -1 when the bits cannot be a valid block (the reader is then marked overrun).
/// </summary>
public static class CavlcResidualReader
{
    /// <summary>nC == -1 selects the 4:2:0 chroma DC tables.</summary>
    public const int ChromaDcNc = -1;

    /// <summary>
    /// Reads one block. <paramref name="levels"/>[k] and <paramref name="positions"/>[k] receive the k-th non-zero
    /// coefficient (k &lt; TotalCoeff), positions counted from 0 within the block's <paramref name="maxNumCoeff"/>
    /// coefficients (add startIdx for an Intra16x16 AC block). Both spans hold at least 16 entries.
    /// </summary>
    public static int Read(RbspReader reader, int nC, int maxNumCoeff, Span<int> levels, Span<byte> positions)
    {
        VlcTable tokenTable = nC switch
        {
            < 0 => CavlcTables.ChromaDcCoeffToken,
            < 2 => CavlcTables.CoeffToken[0],
            < 4 => CavlcTables.CoeffToken[1],
            < 8 => CavlcTables.CoeffToken[2],
            _ => CavlcTables.CoeffToken[3],
        };
        int token = tokenTable.Read(reader);
        if (token < 0) return -1;
        int totalCoeff = token >> 2;
        int trailingOnes = token & 3;
        if (totalCoeff == 0) return 0;
        if (totalCoeff > maxNumCoeff) return Fail(reader);

        // Levels arrive highest frequency first; levels[] is filled in that order and reversed at the end.
        Span<int> parsed = stackalloc int[16];
        int suffixLength = totalCoeff > 10 && trailingOnes < 3 ? 1 : 0;
        for (int i = 0; i < totalCoeff; i++)
        {
            if (i < trailingOnes)
            {
                parsed[i] = reader.ReadBits(1) != 0 ? -1 : 1;
                continue;
            }
            int levelPrefix = BitOperations.LeadingZeroCount(reader.Peek(32));
            if (levelPrefix > 25) return Fail(reader);   // no valid 8-bit stream needs a longer prefix
            reader.Skip(levelPrefix + 1);

            int levelCode = Math.Min(15, levelPrefix) << suffixLength;
            if (suffixLength > 0 || levelPrefix >= 14)
            {
                int suffixSize = levelPrefix == 14 && suffixLength == 0 ? 4
                    : levelPrefix >= 15 ? levelPrefix - 3 : suffixLength;
                if (suffixSize > 0) levelCode += (int)reader.ReadBits(suffixSize);
            }
            if (levelPrefix >= 15 && suffixLength == 0) levelCode += 15;
            if (levelPrefix >= 16) levelCode += (1 << (levelPrefix - 3)) - 4096;
            if (i == trailingOnes && trailingOnes < 3) levelCode += 2;

            int level = (levelCode & 1) == 0 ? (levelCode + 2) >> 1 : (-levelCode - 1) >> 1;
            parsed[i] = level;
            if (suffixLength == 0) suffixLength = 1;
            if (Math.Abs(level) > (3 << (suffixLength - 1)) && suffixLength < 6) suffixLength++;
        }

        int zerosLeft = 0;
        if (totalCoeff < maxNumCoeff)
        {
            zerosLeft = nC < 0
                ? CavlcTables.ChromaDcTotalZeros[totalCoeff - 1].Read(reader)
                : CavlcTables.TotalZeros[totalCoeff - 1].Read(reader);
            if (zerosLeft < 0 || zerosLeft + totalCoeff > maxNumCoeff) return Fail(reader);
        }

        // Coefficient i (highest frequency first) sits at position totalCoeff + zerosLeft - 1 minus what precedes it.
        int position = totalCoeff + zerosLeft - 1;
        for (int i = 0; i < totalCoeff; i++)
        {
            int k = totalCoeff - 1 - i;
            levels[k] = parsed[i];
            positions[k] = (byte)position;
            int run = 0;
            if (zerosLeft > 0 && i < totalCoeff - 1)
            {
                run = CavlcTables.RunBefore[Math.Min(zerosLeft, 7) - 1].Read(reader);
                if (run < 0 || run > zerosLeft) return Fail(reader);
                zerosLeft -= run;
            }
            position -= run + 1;
        }
        return totalCoeff;
    }

    private static int Fail(RbspReader reader)
    {
        reader.Seek(reader.BitLength + 1);
        return -1;
    }
}
