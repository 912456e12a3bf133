namespace Fmp4Streamer.Mp4;

/// <summary>A sample's place on the track timeline: tfdt's baseMediaDecodeTime and trun's duration, in ticks.</summary>
public readonly record struct SampleTime(ulong DecodeTime, uint Duration);
