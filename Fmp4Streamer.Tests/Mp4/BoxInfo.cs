namespace Fmp4Streamer.Tests.Mp4;

/// <summary>One box found by <see cref="BoxWalker"/>: where it is and its path from the top ("moov/trak/tkhd").</summary>
internal readonly record struct BoxInfo(string Path, string Type, int Offset, int Size, int Depth);
