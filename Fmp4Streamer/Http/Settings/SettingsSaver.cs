using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Http.Settings;

/// <summary>
/// Writes pending saves one after another on its own thread and tells the loop when each is done. One thread for the
/// whole server, so two saves never interleave their read-modify-write of the same file.
/// </summary>
public sealed class SettingsSaver : IDisposable
{
    private readonly EventLoop _loop;
    private readonly Queue<(IPendingSave Save, Action<string?> Done)> _queue = new();
    private readonly object _lock = new();
    private Thread? _thread;
    private bool _writing;
    private bool _stopping;

    public SettingsSaver(EventLoop loop) => _loop = loop;

    /// <summary>Writes <paramref name="save"/> soon; <paramref name="done"/> runs on the loop with its error or null.</summary>
    public void Save(IPendingSave save, Action<string?> done)
    {
        lock (_lock)
        {
            if (_stopping) throw new ObjectDisposedException(nameof(SettingsSaver));
            _queue.Enqueue((save, done));
            if (_thread is null)
            {
                _thread = new Thread(Run) { Name = "settings saver", IsBackground = true };
                _thread.Start();
            }
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Blocks until every save asked for so far is written (their answers may still be on their way).</summary>
    public void WaitUntilWritten()
    {
        lock (_lock)
        {
            while (_queue.Count > 0 || _writing) Monitor.Wait(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            (IPendingSave Save, Action<string?> Done) next;
            lock (_lock)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_lock);
                if (_queue.Count == 0) return;
                next = _queue.Dequeue();
                _writing = true;
            }
            string? error;
            try { error = next.Save.Write(); }
            catch (Exception e) { error = "cannot save the settings: " + e.Message; }
            var done = next.Done;
            _loop.Post(() => done(error));
            lock (_lock)
            {
                _writing = false;
                Monitor.PulseAll(_lock);
            }
        }
    }

    /// <summary>At shutdown: the saves already asked for are written before the thread ends, so no change is lost.</summary>
    public void Dispose()
    {
        Thread? thread;
        lock (_lock)
        {
            _stopping = true;
            thread = _thread;
            Monitor.PulseAll(_lock);
        }
        thread?.Join();
    }
}
