using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Tests.Http;

/// <summary>Runs an <see cref="EventLoop"/> on its own thread so a test can use blocking client sockets.</summary>
internal sealed class LoopThread : IDisposable
{
    private readonly Thread _thread;
    private Exception? _failure;

    public LoopThread()
    {
        Loop = new EventLoop();
        _thread = new Thread(() =>
        {
            try { Loop.Run(); }
            catch (Exception e) { _failure = e; }
        }) { IsBackground = true, Name = "test event loop" };
        _thread.Start();
    }

    public EventLoop Loop { get; }

    /// <summary>Runs <paramref name="action"/> on the loop thread and waits for it.</summary>
    public T Invoke<T>(Func<T> action)
    {
        T result = default!;
        Exception? error = null;
        using var done = new ManualResetEventSlim();
        Loop.Post(() =>
        {
            try { result = action(); }
            catch (Exception e) { error = e; }
            done.Set();
        });
        if (!done.Wait(TimeSpan.FromSeconds(10)))
            throw new TimeoutException("event loop did not run the action" + (_failure != null ? ": " + _failure : ""));
        if (error != null) throw new AggregateException("on the loop thread", error);
        return result;
    }

    public void Invoke(Action action) => Invoke(() => { action(); return 0; });

    /// <summary>Polls <paramref name="condition"/> on the loop thread until true or the timeout.</summary>
    public bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (Invoke(condition)) return true;
            Thread.Sleep(5);
        }
        return Invoke(condition);
    }

    public void Dispose()
    {
        Loop.RequestStop();
        _thread.Join(TimeSpan.FromSeconds(5));
        Loop.Dispose();
        if (_failure != null) throw new AggregateException("event loop failed", _failure);
    }
}
