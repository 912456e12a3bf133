namespace Fmp4Streamer.Http;

/// <summary>What a path resolved to: a route (null: 404), the stream it is under and the numbers in it.</summary>
internal readonly record struct RouteMatch(Route? Route, int StreamIndex, bool Named, long Number, int Part);
