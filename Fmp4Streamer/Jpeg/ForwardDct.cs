using System.Numerics;
using System.Runtime.InteropServices;

namespace Fmp4Streamer.Jpeg;

/// <summary>
/// The 8x8 forward DCT of T.81 A.3.3 as two matrix products with the orthonormal DCT-II matrix (which equals the
/// standard's scaling), four lanes at a time: Vector4 is accelerated on both x64 (SSE) and arm64 (Neon).
/// </summary>
public static class ForwardDct
{
    // Row u of the DCT matrix, as scalars; and column y of it as two Vector4 halves (rows 0..3 and 4..7).
    private static readonly float[] s_matrix = BuildMatrix();
    private static readonly Vector4[] s_columnLow = new Vector4[8];
    private static readonly Vector4[] s_columnHigh = new Vector4[8];

    static ForwardDct()
    {
        for (int y = 0; y < 8; y++)
        {
            s_columnLow[y] = new Vector4(s_matrix[0 * 8 + y], s_matrix[1 * 8 + y], s_matrix[2 * 8 + y], s_matrix[3 * 8 + y]);
            s_columnHigh[y] = new Vector4(s_matrix[4 * 8 + y], s_matrix[5 * 8 + y], s_matrix[6 * 8 + y], s_matrix[7 * 8 + y]);
        }
    }

    /// <summary>Transforms 64 level-shifted samples (row-major) into coefficients (row-major: [v * 8 + u]), in place.</summary>
    public static void Transform(Span<float> block)
    {
        if (block.Length < 64) throw new ArgumentException("an 8x8 block has 64 samples", nameof(block));
        var rows = MemoryMarshal.Cast<float, Vector4>(block[..64]);
        Span<Vector4> columns = stackalloc Vector4[16];
        var matrix = s_matrix;

        // Vertical pass: row v of (C · B) is the sum over the block's rows weighted by C[v][y].
        for (int v = 0; v < 8; v++)
        {
            Vector4 low = Vector4.Zero, high = Vector4.Zero;
            for (int y = 0; y < 8; y++)
            {
                float c = matrix[v * 8 + y];
                low += c * rows[2 * y];
                high += c * rows[2 * y + 1];
            }
            columns[2 * v] = low;
            columns[2 * v + 1] = high;
        }

        // Horizontal pass: row v of (C · B · Cᵀ) is the sum over x of (C · B)[v][x] times column x of C.
        var columnLow = s_columnLow;
        var columnHigh = s_columnHigh;
        for (int v = 0; v < 8; v++)
        {
            Vector4 a = columns[2 * v], b = columns[2 * v + 1];
            Vector4 low = a.X * columnLow[0] + a.Y * columnLow[1] + a.Z * columnLow[2] + a.W * columnLow[3]
                + b.X * columnLow[4] + b.Y * columnLow[5] + b.Z * columnLow[6] + b.W * columnLow[7];
            Vector4 high = a.X * columnHigh[0] + a.Y * columnHigh[1] + a.Z * columnHigh[2] + a.W * columnHigh[3]
                + b.X * columnHigh[4] + b.Y * columnHigh[5] + b.Z * columnHigh[6] + b.W * columnHigh[7];
            rows[2 * v] = low;
            rows[2 * v + 1] = high;
        }
    }

    private static float[] BuildMatrix()
    {
        var m = new float[64];
        for (int u = 0; u < 8; u++)
        {
            double scale = u == 0 ? Math.Sqrt(1.0 / 8) : Math.Sqrt(2.0 / 8);
            for (int x = 0; x < 8; x++) m[u * 8 + x] = (float)(scale * Math.Cos((2 * x + 1) * u * Math.PI / 16));
        }
        return m;
    }
}
