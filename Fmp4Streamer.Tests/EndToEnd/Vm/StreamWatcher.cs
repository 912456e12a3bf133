namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>A client that keeps <c>/stream.mp4</c> open and reads it until disposed, counting the bytes.</summary>
internal sealed class StreamWatcher : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private long _bytes;

    public string? Error { get; private set; }

    public long Bytes => Interlocked.Read(ref _bytes);

    public StreamWatcher(string url)
    {
        _reader = Task.Run(() => Read(url));
    }

    private async Task Read(string url)
    {
        try
        {
            using HttpResponseMessage r = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
            r.EnsureSuccessStatusCode();
            await using Stream body = await r.Content.ReadAsStreamAsync(_stop.Token);
            var buffer = new byte[65536];
            int n;
            while ((n = await body.ReadAsync(buffer, _stop.Token)) > 0) Interlocked.Add(ref _bytes, n);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            Error = e.Message;
        }
    }

    /// <summary>Waits until at least <paramref name="bytes"/> arrived; false on timeout or error.</summary>
    public bool WaitForBytes(long bytes, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (Bytes < bytes && Error == null && !_reader.IsCompleted && DateTime.UtcNow < deadline) Thread.Sleep(100);
        return Bytes >= bytes;
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _reader.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _http.Dispose();
        _stop.Dispose();
    }
}
