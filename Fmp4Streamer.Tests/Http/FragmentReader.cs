namespace Fmp4Streamer.Tests.Http;

/// <summary>Reads a /stream.mp4 response on a background thread: the init box, then fragments until the end.</summary>
internal sealed class FragmentReader : IDisposable
{
    private readonly TestClient _client;
    private readonly Thread _thread;
    private readonly List<(int Sequence, bool Key)> _fragments = new();

    public FragmentReader(TestClient client)
    {
        _client = client;
        _thread = new Thread(Run) { IsBackground = true, Name = "fragment reader" };
        _thread.Start();
    }

    public string? InitType { get; private set; }
    public bool Ended { get; private set; }
    public Exception? Error { get; private set; }

    public List<(int Sequence, bool Key)> Snapshot()
    {
        lock (_fragments) return new List<(int, bool)>(_fragments);
    }

    public int Count
    {
        get { lock (_fragments) return _fragments.Count; }
    }

    public bool WaitForCount(int n, double seconds = 10)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < end && !Ended)
        {
            if (Count >= n) return true;
            Thread.Sleep(2);
        }
        return Count >= n;
    }

    private void Run()
    {
        try
        {
            _client.Socket.ReceiveTimeout = 30_000;
            InitType = _client.ReadBox().Type;
            while (true)
            {
                var f = _client.ReadFragment();
                lock (_fragments) _fragments.Add(f);
            }
        }
        catch (EndOfStreamException)
        {
        }
        catch (Exception e)
        {
            Error = e;
        }
        Ended = true;
    }

    public void Dispose()
    {
        _client.Dispose();
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    /// <summary>Asserts the stream starts at a key frame and every gap in sequence numbers resumes at a key frame.</summary>
    public static void AssertKeyFrameJoinsAndResumes(List<(int Sequence, bool Key)> fragments, string who)
    {
        Assert.That(fragments, Is.Not.Empty, who);
        Assert.That(fragments[0].Key, Is.True, who + " starts at a key frame");
        for (int i = 1; i < fragments.Count; i++)
        {
            Assert.That(fragments[i].Sequence, Is.GreaterThan(fragments[i - 1].Sequence), who + " in order");
            if (fragments[i].Sequence != fragments[i - 1].Sequence + 1)
                Assert.That(fragments[i].Key, Is.True, $"{who}: after a gap ({fragments[i - 1].Sequence} -> {fragments[i].Sequence}) the stream resumes at a key frame");
        }
    }
}
