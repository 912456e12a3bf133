using System.Text;
using Fmp4Streamer.Linux;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Tests.Linux;

/// <summary>A child's stderr read on the loop and cut into lines.</summary>
public unsafe class LineReaderTests
{
    private sealed class Lines : ILineSink
    {
        public readonly List<string> Received = new();
        public void OnLine(ReadOnlySpan<byte> line) => Received.Add(Encoding.UTF8.GetString(line));
    }

    private static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(new[] { "one\ntwo\n" }, new[] { "one", "two" }).SetName("newlines");
        yield return new TestCaseData(new[] { "frame=1\rframe=2\r\n" }, new[] { "frame=1", "frame=2" }).SetName("carriage returns of a progress meter");
        yield return new TestCaseData(new[] { "\n\n\nx\n" }, new[] { "x" }).SetName("empty lines dropped");
        yield return new TestCaseData(new[] { "par", "tial\nrest" }, new[] { "partial", "rest" }).SetName("a line across reads, an unterminated end");
        yield return new TestCaseData(new[] { new string('a', LineReader.MaxLineBytes + 10) + "\n" },
            new[] { new string('a', LineReader.MaxLineBytes), new string('a', 10) }).SetName("an overlong line is cut");
    }

    [TestCaseSource(nameof(Cases))]
    public void SplitsWhatThePipeCarries(string[] writes, string[] expected)
    {
        using var loop = new EventLoop();
        var lines = new Lines();
        var reader = new LineReader(loop, lines);
        int* fds = stackalloc int[2];
        Assert.That(pipe2(fds, O_CLOEXEC | O_NONBLOCK), Is.Zero);
        reader.Attach(fds[0]);
        foreach (var text in writes)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            fixed (byte* p = bytes) Assert.That((long)write(fds[1], p, bytes.Length), Is.EqualTo(bytes.Length));
            loop.RunOnce(100);
        }
        close(fds[1]);
        loop.RunOnce(100); // end of file: the rest is passed on
        Assert.That(lines.Received, Is.EqualTo(expected));
        reader.Detach();
        close(fds[0]);
    }
}
