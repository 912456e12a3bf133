namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>Paths of the checkout the tests run in: its root and the binaries build.sh leaves there.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Binary => RequireFile(Path.Combine(Root, "fmp4streamer"), "./build.sh");
    public static string Arm64Binary => RequireFile(Path.Combine(Root, "fmp4streamer-arm64"), "./build.sh arm64");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Fmp4Streamer.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Fmp4Streamer.slnx) above " + AppContext.BaseDirectory);
    }

    private static string RequireFile(string path, string buildCommand)
    {
        if (!File.Exists(path)) Assert.Fail($"{path} is missing: run `{buildCommand}` first (make test does)");
        return path;
    }
}
