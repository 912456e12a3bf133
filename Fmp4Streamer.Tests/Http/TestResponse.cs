namespace Fmp4Streamer.Tests.Http;

internal sealed record TestResponse(int Status, string Head, Dictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}
