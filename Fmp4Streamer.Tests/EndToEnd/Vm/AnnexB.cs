namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>Annex-B byte stream helpers for captured H264.</summary>
internal static class AnnexB
{
    /// <summary>
    /// Drops everything before the first SPS (NAL type 7): a capture that joins a live stream mid-GOP starts
    /// with P frames a decoder must reject, as any live viewer waits for the next key frame.
    /// </summary>
    public static byte[] TrimToFirstSps(byte[] stream)
    {
        for (int i = 0; i + 4 < stream.Length; i++)
        {
            if (stream[i] == 0 && stream[i + 1] == 0 && stream[i + 2] == 1 && (stream[i + 3] & 0x1f) == 7)
            {
                int start = i > 0 && stream[i - 1] == 0 ? i - 1 : i;
                return stream[start..];
            }
        }
        return [];
    }
}
