namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>What a live-stream GET answered within a short window: status, content type, body bytes read.</summary>
internal sealed record OutageResponse(int Status, string? ContentType, long BodyBytes, string? Error)
{
    /// <summary>GETs <paramref name="url"/>, then reads its body for <paramref name="readMs"/> and hangs up.</summary>
    public static OutageResponse Read(HttpClient http, string url, int readMs)
    {
        try
        {
            using HttpResponseMessage r = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).Result;
            using Stream body = r.Content.ReadAsStream();
            using var window = new CancellationTokenSource(readMs);
            long bytes = 0;
            var buffer = new byte[65536];
            try
            {
                int n;
                while ((n = body.ReadAsync(buffer, window.Token).AsTask().GetAwaiter().GetResult()) > 0) bytes += n;
            }
            catch (OperationCanceledException)
            {
            }
            return new OutageResponse((int)r.StatusCode, r.Content.Headers.ContentType?.MediaType, bytes, null);
        }
        catch (Exception e) when (e is HttpRequestException or AggregateException or IOException)
        {
            return new OutageResponse(0, null, 0, e.Message);
        }
    }
}
