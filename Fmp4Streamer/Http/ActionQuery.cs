namespace Fmp4Streamer.Http;

/// <summary>
/// mjpg-streamer's "action" query parameter, which 3D-printer and home-automation tools put on "/" ("/?action=snapshot",
/// "/?action=stream", sometimes with more parameters such as a cache-busting "&amp;t=…"). Anything else leaves "/" the page.
/// </summary>
internal static class ActionQuery
{
    public enum Action { None, Snapshot, Stream }

    public static Action Parse(ReadOnlySpan<byte> query)
    {
        while (!query.IsEmpty)
        {
            int amp = query.IndexOf((byte)'&');
            var pair = amp < 0 ? query : query[..amp];
            query = amp < 0 ? default : query[(amp + 1)..];
            if (!pair.StartsWith("action="u8)) continue;
            var value = pair["action=".Length..];
            if (value.SequenceEqual("snapshot"u8)) return Action.Snapshot;
            if (value.SequenceEqual("stream"u8)) return Action.Stream;
            return Action.None;
        }
        return Action.None;
    }
}
