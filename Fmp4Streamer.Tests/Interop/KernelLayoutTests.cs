using Fmp4Streamer.Linux.Native;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Interop;

/// <summary>
/// The C# kernel declarations against the kernel's own headers: static assertions compiled for x86-64 and for arm64
/// (the cross compiler's headers), and a C program built for arm64 and run under qemu printing what its compiler saw.
/// </summary>
public class KernelLayoutTests
{
    private const string CrossGcc = "aarch64-linux-gnu-gcc";
    private const string CrossPackage = "gcc-aarch64-linux-gnu libc6-dev-arm64-cross linux-libc-dev-arm64-cross";
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("fmp4-layout-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void StaticAssertsHoldForX64()
    {
        ToolRun.RequireFile("/usr/include/linux/videodev2.h", "linux-libc-dev");
        var result = CompileAsserts("gcc", "gcc", KernelLayoutGenerator.Facts());
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
    }

    [Test]
    public void StaticAssertsHoldForArm64()
    {
        ToolRun.RequireFile("/usr/aarch64-linux-gnu/include/linux/videodev2.h", "linux-libc-dev-arm64-cross");
        ToolRun.RequireFile("/usr/aarch64-linux-gnu/include/linux/uvcvideo.h", "linux-libc-dev-arm64-cross");
        var result = CompileAsserts(CrossGcc, CrossPackage, KernelLayoutGenerator.Facts());
        Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr);
    }

    [Test]
    public void Arm64ProgramUnderQemuPrintsTheCSharpValues()
    {
        var facts = KernelLayoutGenerator.Facts();
        string printed = RunArm64PrintProgram(facts);
        Assert.That(KernelLayoutGenerator.Compare(facts, printed), Is.Empty);
    }

    [Test]
    public void AMutatedOffsetFailsTheStaticAsserts()
    {
        var facts = Mutated(KernelLayoutGenerator.Facts(), "offsetof(struct v4l2_buffer, m.planes)");
        var result = CompileAsserts("gcc", "gcc", facts);
        Assert.That(result.ExitCode, Is.Not.EqualTo(0));
        Assert.That(result.StdErr, Does.Contain("offsetof(struct v4l2_buffer, m.planes) == 72"));
    }

    [Test]
    public void AMutatedRequestNumberFailsTheArm64Comparison()
    {
        var facts = KernelLayoutGenerator.Facts();
        string printed = RunArm64PrintProgram(facts);
        var mutated = Mutated(facts, "VIDIOC_DQBUF");
        Assert.That(KernelLayoutGenerator.Compare(mutated, printed),
            Is.EqualTo(new[] { $"VIDIOC_DQBUF: C says {videodev2.VIDIOC_DQBUF}, C# says {videodev2.VIDIOC_DQBUF + 8}" }));
    }

    [Test]
    public void FactsCoverEveryFieldUsedByTheDaemon()
    {
        var expressions = KernelLayoutGenerator.Facts().ConvertAll(f => f.CExpression);
        Assert.That(expressions, Does.Contain("offsetof(struct v4l2_format, fmt.pix_mp)"));
        Assert.That(expressions, Does.Contain("sizeof(((struct v4l2_buffer *)0)->timestamp)"));
        Assert.That(expressions, Does.Contain("offsetof(struct v4l2_querymenu, value)"));
        Assert.That(expressions, Does.Contain("offsetof(struct v4l2_ext_control, string)"));
        Assert.That(expressions, Does.Contain("UVCIOC_CTRL_QUERY"));
        Assert.That(expressions, Does.Contain("V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME"));
        Assert.That(expressions, Does.Contain("SNDRV_PCM_IOCTL_READI_FRAMES"));
        Assert.That(expressions, Does.Contain("offsetof(struct snd_pcm_hw_params, intervals)"));
        Assert.That(expressions, Does.Contain("offsetof(struct snd_pcm_status, tstamp)"));
        Assert.That(expressions, Does.Contain("sizeof(struct snd_pcm_sw_params)"));
        Assert.That(expressions, Does.Contain("offsetof(struct snd_ctl_elem_info, value.enumerated.name)"));
        Assert.That(expressions, Does.Contain("offsetof(struct snd_ctl_elem_value, value.integer.value)"));
        Assert.That(expressions, Does.Contain("offsetof(struct snd_ctl_elem_value, value.enumerated.item)"));
        Assert.That(expressions, Does.Contain("offsetof(struct snd_ctl_elem_list, pids)"));
        Assert.That(expressions, Does.Contain("SNDRV_CTL_IOCTL_ELEM_WRITE"));
        Assert.That(expressions, Has.Count.GreaterThan(400));
    }

    [Test]
    public void InMemorySizeEqualsTheMarshalledSize()
    {
        // ioctls get pointers to the managed structs themselves, so the unmarshalled layout is the one that counts.
        var sizeOf = typeof(System.Runtime.CompilerServices.Unsafe).GetMethod("SizeOf")!;
        foreach (var (type, cName) in KernelLayoutGenerator.Structs)
        {
            int inMemory = (int)sizeOf.MakeGenericMethod(type).Invoke(null, null)!;
            Assert.That(inMemory, Is.EqualTo(System.Runtime.InteropServices.Marshal.SizeOf(type)), cName);
            Assert.That(System.Runtime.InteropServices.Marshal.SizeOf(type) > 0 && IsBlittable(type), Is.True, cName);
        }
    }

    private static bool IsBlittable(Type type)
    {
        foreach (var f in type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance))
        {
            var t = f.FieldType;
            if (t.IsPrimitive && t != typeof(bool) && t != typeof(char)) continue;
            if (t.IsValueType && !t.IsPrimitive && IsBlittable(t)) continue;
            return false;
        }
        return true;
    }

    /// <summary>Values quoted in the reference spec (6.1) for the 64-bit ABI, as a second, independent source.</summary>
    [TestCase("VIDIOC_QUERYCAP", 0x80685600u)]
    [TestCase("VIDIOC_G_FMT", 0xc0d05604u)]
    [TestCase("VIDIOC_S_FMT", 0xc0d05605u)]
    [TestCase("VIDIOC_REQBUFS", 0xc0145608u)]
    [TestCase("VIDIOC_QUERYBUF", 0xc0585609u)]
    [TestCase("VIDIOC_QBUF", 0xc058560fu)]
    [TestCase("VIDIOC_EXPBUF", 0xc0405610u)]
    [TestCase("VIDIOC_DQBUF", 0xc0585611u)]
    [TestCase("VIDIOC_STREAMON", 0x40045612u)]
    [TestCase("VIDIOC_STREAMOFF", 0x40045613u)]
    [TestCase("VIDIOC_S_PARM", 0xc0cc5616u)]
    [TestCase("VIDIOC_G_CTRL", 0xc008561bu)]
    [TestCase("VIDIOC_S_CTRL", 0xc008561cu)]
    [TestCase("VIDIOC_QUERYCTRL", 0xc0445624u)]
    [TestCase("VIDIOC_QUERYMENU", 0xc02c5625u)]
    [TestCase("UVCIOC_CTRL_QUERY", 0xc0107521u)]
    public void RequestNumberMatchesTheSpecTable(string name, uint expected)
    {
        var fact = KernelLayoutGenerator.Facts().Find(f => f.CExpression == name);
        Assert.That(fact, Is.Not.Null);
        Assert.That(fact!.Value, Is.EqualTo((ulong)expected));
    }

    private static List<LayoutFact> Mutated(List<LayoutFact> facts, string expression)
    {
        int i = facts.FindIndex(f => f.CExpression == expression);
        Assert.That(i, Is.GreaterThanOrEqualTo(0), expression);
        var copy = new List<LayoutFact>(facts);
        copy[i] = copy[i] with { Value = copy[i].Value + 8 };
        return copy;
    }

    private ToolResult CompileAsserts(string compiler, string package, IEnumerable<LayoutFact> facts)
    {
        string file = Path.Combine(_dir, "layout_asserts.c");
        File.WriteAllText(file, KernelLayoutGenerator.StaticAssertSource(facts));
        return ToolRun.Complete(compiler, ["-std=gnu11", "-fsyntax-only", "-Wall", "-Werror", file], ToolRun.DefaultTimeout, package);
    }

    private string RunArm64PrintProgram(List<LayoutFact> facts)
    {
        ToolRun.RequireFile("/usr/aarch64-linux-gnu/include/linux/videodev2.h", "linux-libc-dev-arm64-cross");
        string source = Path.Combine(_dir, "layout_print.c");
        string binary = Path.Combine(_dir, "layout_print");
        File.WriteAllText(source, KernelLayoutGenerator.PrintProgramSource(facts));
        var build = ToolRun.Complete(CrossGcc, ["-std=gnu11", "-O0", "-Wall", "-Werror", "-o", binary, source], ToolRun.DefaultTimeout, CrossPackage);
        Assert.That(build.ExitCode, Is.EqualTo(0), build.StdErr);
        var run = ToolRun.Complete("qemu-aarch64-static", ["-L", "/usr/aarch64-linux-gnu", binary], ToolRun.DefaultTimeout, "qemu-user-static");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.StdErr);
        return run.StdOut;
    }
}
