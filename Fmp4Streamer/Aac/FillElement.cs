namespace Fmp4Streamer.Aac;

/// <summary>
/// Fill elements (ID_FIL, ISO/IEC 14496-3, 4.4.2.7 and 4.5.2.9): padding that keeps a constant bitrate when a frame
/// needs fewer bits than its share. Each carries an EXT_FILL payload of up to 269 bytes.
/// </summary>
internal static class FillElement
{
    private const int MaxPayload = 15 + 255 - 1;

    /// <summary>Writes fill elements adding at least <paramref name="bits"/> bits.</summary>
    public static void Write(ref BitWriter writer, int bits)
    {
        while (bits > 0)
        {
            int payload = Math.Clamp((bits - 7 + 7) / 8, 0, MaxPayload);
            if (payload >= 15 && payload * 8 + 15 < bits && payload < MaxPayload) payload++;
            writer.Write(6, 3); // ID_FIL
            if (payload < 15) writer.Write((uint)payload, 4);
            else
            {
                writer.Write(15, 4);
                writer.Write((uint)(payload - 15 + 1), 8); // esc_count
            }
            if (payload > 0)
            {
                writer.Write(0, 4); // extension_type EXT_FILL
                writer.Write(0, 4); // fill_nibble
                for (int i = 1; i < payload; i++) writer.Write(0xA5, 8); // fill_byte
            }
            bits -= 7 + (payload >= 15 ? 8 : 0) + payload * 8;
        }
    }
}
