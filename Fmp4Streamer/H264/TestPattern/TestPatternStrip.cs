using System.Buffers.Binary;

namespace Fmp4Streamer.H264.TestPattern;

/// <summary>
/// The machine-readable strip at the top of every test-pattern frame, and its reader.
/// <para>
/// Layout (see <see cref="Layout"/>): 96 bits = 12 bytes, sent MSB first:
/// byte 0 sync 0xB5; bytes 1-4 frame number (low 32 bits, big-endian); bytes 5-10 wall-clock milliseconds since
/// the Unix epoch (48 bits, big-endian); byte 11 CRC-8 (polynomial 0x07, initial 0, no reflection, no final XOR)
/// of bytes 1-10. Bit i is a square cell of <c>CellSize</c> pixels, cells left to right then top to bottom from
/// the picture's top-left corner, <c>CellsPerRow = floor(width / CellSize)</c> per row; CellSize is 16 (one
/// macroblock) for pictures at least 640 wide, else 8 so that a 160x128 picture still has room.
/// A cell is black (luma 16) for 0 and white (luma 235) for 1, neutral chroma; read it at the cell's centre
/// pixel (x + CellSize/2, y + CellSize/2) and compare with 128. In a browser canvas R = G = B ≈ (Y - 16) * 255 / 219,
/// so the same threshold applies to any of the colour channels.
/// </para>
/// </summary>
public static class TestPatternStrip
{
    /// <summary>The strip's geometry and encoding, for readers written elsewhere (the end-to-end JavaScript).</summary>
    public static class Layout
    {
        public const int TotalBits = 96;
        public const int TotalBytes = TotalBits / 8;
        public const byte SyncByte = 0xB5;
        public const int FrameNumberOffset = 1;   // 4 bytes, big-endian
        public const int WallClockOffset = 5;     // 6 bytes, big-endian
        public const int CrcOffset = 11;          // CRC-8 over bytes 1..10
        public const byte CrcPolynomial = 0x07;
        public const int WideCellSize = 16;
        public const int NarrowCellSize = 8;
        public const int WideMinWidth = 640;
        public const byte ZeroLuma = 16;
        public const byte OneLuma = 235;
        public const byte Threshold = 128;
        public const byte NeutralChroma = 128;

        public static int CellSize(int width) => width >= WideMinWidth ? WideCellSize : NarrowCellSize;

        public static int CellsPerRow(int width) => width / CellSize(width);

        public static int Rows(int width) => (TotalBits + CellsPerRow(width) - 1) / CellsPerRow(width);

        /// <summary>Height in pixels the strip covers.</summary>
        public static int Height(int width) => Rows(width) * CellSize(width);
    }

    /// <summary>Reads the strip from a decoded luma plane; false when the sync byte or the CRC does not match.</summary>
    public static bool TryRead(ReadOnlySpan<byte> luma, int width, int height, int stride, out long frameNumber, out long wallClockMs)
    {
        frameNumber = 0;
        wallClockMs = 0;
        if (width < 16 || stride < width || height < Layout.Height(width)) return false;
        int cell = Layout.CellSize(width);
        int perRow = Layout.CellsPerRow(width);
        int lastOffset = (Layout.Rows(width) - 1) * cell * stride + cell / 2 * stride + (perRow - 1) * cell + cell / 2;
        if (luma.Length <= lastOffset) return false;

        Span<byte> bytes = stackalloc byte[Layout.TotalBytes];
        bytes.Clear();
        for (int i = 0; i < Layout.TotalBits; i++)
        {
            int x = i % perRow * cell + cell / 2;
            int y = i / perRow * cell + cell / 2;
            if (luma[y * stride + x] >= Layout.Threshold) bytes[i >> 3] |= (byte)(0x80 >> (i & 7));
        }
        if (bytes[0] != Layout.SyncByte) return false;
        if (Crc8(bytes.Slice(Layout.FrameNumberOffset, 10)) != bytes[Layout.CrcOffset]) return false;
        frameNumber = BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(Layout.FrameNumberOffset));
        wallClockMs = (long)BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(Layout.WallClockOffset)) << 32
            | BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(Layout.WallClockOffset + 2));
        return true;
    }

    /// <summary>The 12 strip bytes for a frame; only the low 32 bits of the frame number and 48 of the time are kept.</summary>
    internal static void Encode(long frameNumber, long wallClockMs, Span<byte> bytes)
    {
        bytes[0] = Layout.SyncByte;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(Layout.FrameNumberOffset), (uint)frameNumber);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.Slice(Layout.WallClockOffset), (ushort)(wallClockMs >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.Slice(Layout.WallClockOffset + 2), (uint)wallClockMs);
        bytes[Layout.CrcOffset] = Crc8(bytes.Slice(Layout.FrameNumberOffset, 10));
    }

    internal static byte Crc8(ReadOnlySpan<byte> data)
    {
        int crc = 0;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 0x80) != 0 ? ((crc << 1) ^ Layout.CrcPolynomial) & 0xFF : (crc << 1) & 0xFF;
        }
        return (byte)crc;
    }
}
