namespace Fmp4Streamer.H264;

/// <summary>slice_type modulo 5 (H.264 Table 7-6); values 5 to 9 only add that every slice of the picture has the same type.</summary>
public enum SliceType : byte
{
    P = 0,
    B = 1,
    I = 2,
    SP = 3,
    SI = 4,
}
