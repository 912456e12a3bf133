namespace Fmp4Streamer.Access;

/// <summary>
/// Runs bcrypt checks on one background thread, one at a time, and hands each result back through a callback the
/// caller turns into a post to its loop. One thread: a flood of guesses costs at most one core, the loop keeps the
/// other; a check takes tens of milliseconds, so a queue of a few is still quick.
/// </summary>
public sealed class BcryptWorker : IDisposable
{
    private readonly Queue<(byte[] Password, Bcrypt.Parsed Hash, Action<bool> Done)> _jobs = new();
    private readonly object _lock = new();
    private Thread? _thread;
    private bool _stopping;

    /// <summary>Checks <paramref name="password"/> (cleared afterwards) and calls <paramref name="done"/> on the worker thread.</summary>
    public void Enqueue(byte[] password, in Bcrypt.Parsed hash, Action<bool> done)
    {
        lock (_lock)
        {
            if (_stopping) return;
            _jobs.Enqueue((password, hash, done));
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "bcrypt" };
                _thread.Start();
            }
            Monitor.Pulse(_lock);
        }
    }

    private void Run()
    {
        while (true)
        {
            (byte[] Password, Bcrypt.Parsed Hash, Action<bool> Done) job;
            lock (_lock)
            {
                while (_jobs.Count == 0 && !_stopping) Monitor.Wait(_lock);
                if (_stopping) return;
                job = _jobs.Dequeue();
            }
            bool good = Bcrypt.Verify(job.Password, job.Hash);
            Array.Clear(job.Password);
            job.Done(good);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _stopping = true;
            foreach (var job in _jobs) Array.Clear(job.Password);
            _jobs.Clear();
            Monitor.PulseAll(_lock);
        }
    }
}
