using Fmp4Streamer.Http;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Streaming.Hls;

namespace Fmp4Streamer.Tests.Http;

/// <summary>An <see cref="HttpServer"/> on 127.0.0.1 with a free port, fake streams, and the loop on its own thread.</summary>
internal sealed class ServerFixture : IDisposable
{
    public ServerFixture(HttpServerOptions? options = null, params FakeLiveStream[] streams)
        : this(options, new HlsOptions(), streams)
    {
    }

    /// <summary>With <paramref name="hls"/> for every stream's segmenter.</summary>
    public ServerFixture(HttpServerOptions? options, HlsOptions hls, params FakeLiveStream[] streams)
    {
        Streams = streams.Length > 0 ? streams : [new FakeLiveStream()];
        Options = (options ?? new HttpServerOptions()) with { Listen = "127.0.0.1", Port = 0 };
        LoopThread = new LoopThread();
        foreach (var s in Streams)
        {
            s.Loop = LoopThread.Loop;
            s.HlsOptions = hls;
        }
        Server = LoopThread.Invoke(() =>
        {
            var server = new HttpServer(LoopThread.Loop, Options, (IReadOnlyList<ILiveStream>)Streams);
            server.Start();
            return server;
        });
        Port = LoopThread.Invoke(() => Server.Port);
    }

    public FakeLiveStream[] Streams { get; }
    public FakeLiveStream Stream => Streams[0];
    public HttpServerOptions Options { get; }
    public LoopThread LoopThread { get; }
    public HttpServer Server { get; }
    public int Port { get; }

    public TestClient Connect(int receiveBufferBytes = 0) => new(Port, receiveBufferBytes: receiveBufferBytes);

    public void Publish(bool key, int size = 200) => LoopThread.Invoke(() => Stream.Publish(key, size));

    public bool WaitFor(Func<bool> condition, double seconds = 5) => LoopThread.WaitFor(condition, TimeSpan.FromSeconds(seconds));

    public void Dispose()
    {
        try
        {
            LoopThread.Invoke(() =>
            {
                Server.Dispose();
                foreach (var s in Streams) s.Close();
            });
        }
        finally { LoopThread.Dispose(); }
    }
}
