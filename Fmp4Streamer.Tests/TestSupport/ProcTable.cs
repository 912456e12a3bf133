namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>Processes as /proc shows them, for tests that check nothing was left running (or unreaped).</summary>
public static class ProcTable
{
    public readonly record struct Entry(int Pid, int ParentPid, int ProcessGroup, char State, string CommandLine);

    public static List<Entry> All()
    {
        var entries = new List<Entry>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                entries.Add(new Entry(pid, int.Parse(fields[1]), int.Parse(fields[2]), fields[0][0], cmdline));
            }
            catch (IOException) { }          // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return entries;
    }

    public static List<Entry> InGroup(int processGroup) => All().FindAll(e => e.ProcessGroup == processGroup);

    public static List<Entry> ChildrenOf(int pid) => All().FindAll(e => e.ParentPid == pid);

    /// <summary>Processes whose command line contains <paramref name="marker"/>, this test process excluded.</summary>
    public static List<Entry> WithCommandLine(string marker) =>
        All().FindAll(e => e.Pid != Environment.ProcessId && e.CommandLine.Contains(marker, StringComparison.Ordinal));

    /// <summary>Waits up to <paramref name="timeout"/> for <paramref name="query"/> to come back empty; returns what is left.</summary>
    public static List<Entry> WaitUntilNone(Func<List<Entry>> query, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        var left = query();
        while (left.Count > 0 && DateTime.UtcNow < until)
        {
            Thread.Sleep(20);
            left = query();
        }
        return left;
    }
}
