using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Tests.Linux;

/// <summary>A failure at any step of the replacement leaves a whole file: the old one before the rename, the new one after.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class AtomicFileWriterTests
{
    private const string Old = "[server]\nport = 8000\n";
    private const string New = "[server]\nport = 8000\n\n[/dev/video0]\nbrightness = 1\n";

    private string _dir = null!;
    private string _path = null!;

    [SetUp]
    public void CreateFile()
    {
        _dir = Directory.CreateTempSubdirectory("atomic").FullName;
        _path = Path.Combine(_dir, "fmp4streamer.conf");
        File.WriteAllText(_path, Old);
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    [TestCase(AtomicFileWriter.Step.CreateTemp)]
    [TestCase(AtomicFileWriter.Step.Write)]
    [TestCase(AtomicFileWriter.Step.Flush)]
    [TestCase(AtomicFileWriter.Step.Rename)]
    public void AFailureBeforeTheRenameKeepsTheOldFile(AtomicFileWriter.Step failing)
    {
        var writer = new AtomicFileWriter { BeforeStep = step => { if (step == failing) throw new IOException("No space left on device"); } };
        Assert.Throws<IOException>(() => writer.Write(_path, System.Text.Encoding.UTF8.GetBytes(New)));
        Assert.That(File.ReadAllText(_path), Is.EqualTo(Old));
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { _path }), "no temporary file is left behind");
    }

    [Test]
    public void AFailureFlushingTheDirectoryLeavesTheNewFile()
    {
        var writer = new AtomicFileWriter { BeforeStep = step => { if (step == AtomicFileWriter.Step.FlushDirectory) throw new IOException("EIO"); } };
        Assert.Throws<IOException>(() => writer.Write(_path, System.Text.Encoding.UTF8.GetBytes(New)));
        Assert.That(File.ReadAllText(_path), Is.EqualTo(New));
    }

    [Test]
    public void TheFileIsReplacedKeepingItsMode()
    {
        var steps = new List<AtomicFileWriter.Step>();
        new AtomicFileWriter { BeforeStep = steps.Add }.Write(_path, System.Text.Encoding.UTF8.GetBytes(New));
        Assert.That(File.ReadAllText(_path), Is.EqualTo(New));
        Assert.That(File.GetUnixFileMode(_path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(steps, Is.EqualTo(Enum.GetValues<AtomicFileWriter.Step>()), "every step, in order");
        Assert.That(Directory.GetFiles(_dir), Is.EqualTo(new[] { _path }));
    }

    [Test]
    public void ASymlinkedFileIsReplacedAtItsTarget()
    {
        string link = Path.Combine(_dir, "link.conf");
        File.CreateSymbolicLink(link, _path);
        new AtomicFileWriter().Write(link, System.Text.Encoding.UTF8.GetBytes(New));
        Assert.That(new FileInfo(link).LinkTarget, Is.EqualTo(_path), "the link stays a link");
        Assert.That(File.ReadAllText(_path), Is.EqualTo(New));
    }
}
