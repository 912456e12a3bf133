namespace Fmp4Streamer.Aac;

/// <summary>The window_sequence values of ics_info (ISO/IEC 14496-3, table 4.85).</summary>
internal enum WindowSequence
{
    OnlyLong = 0,
    LongStart = 1,
    EightShort = 2,
    LongStop = 3,
}
