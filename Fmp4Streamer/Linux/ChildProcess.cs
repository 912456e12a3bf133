using System.Runtime.InteropServices;
using System.Text;
using Fmp4Streamer.Linux.Native;
using static Tmds.Linux.LibC;

namespace Fmp4Streamer.Linux;

/// <summary>
/// A program started with posix_spawn as the leader of its own process group, its stdout and stderr on
/// non-blocking pipes, its stdin on /dev/null, signal mask and dispositions back to the defaults. Stopping it
/// signals the whole group: Debian's dash forks the program of <c>sh -c "prog args"</c> instead of exec'ing it,
/// and a signal to the shell alone leaves the program running (and holding the camera).
/// </summary>
public sealed unsafe class ChildProcess : IDisposable
{
    private ChildProcess(int pid, int stdoutFd, int stderrFd)
    {
        Pid = pid;
        StdoutFd = stdoutFd;
        StderrFd = stderrFd;
    }

    /// <summary>The leader's process id, which is also the group's id.</summary>
    public int Pid { get; }

    /// <summary>Read end of the child's stdout (non-blocking), or -1 once <see cref="ClosePipes"/> ran.</summary>
    public int StdoutFd { get; private set; }

    /// <summary>Read end of the child's stderr (non-blocking), or -1 once closed.</summary>
    public int StderrFd { get; private set; }

    /// <summary>The leader's wait status once reaped (see <see cref="ExitDescription"/>), else null.</summary>
    public int? WaitStatus { get; private set; }

    /// <summary>"exited with status 1", "was killed by signal 9", or "is running".</summary>
    public string ExitDescription => WaitStatus switch
    {
        null => "is running",
        int s when (s & 0x7F) == 0 => $"exited with status {(s >> 8) & 0xFF}",
        int s => $"was killed by signal {s & 0x7F}",
    };

    /// <summary>Starts <c>/bin/sh -c <paramref name="command"/></c>.</summary>
    public static ChildProcess StartShell(string command) => Start("/bin/sh", new[] { "sh", "-c", command });

    /// <summary>Starts <paramref name="path"/> with <paramref name="argv"/> and this process's environment.</summary>
    /// <exception cref="LinuxException">A pipe or the spawn failed (ENOENT for a missing program, EMFILE...).</exception>
    public static ChildProcess Start(string path, string[] argv)
    {
        BecomeSubreaper();
        int* stdoutPipe = stackalloc int[2];
        int* stderrPipe = stackalloc int[2];
        if (pipe2(stdoutPipe, O_CLOEXEC) < 0) throw LinuxError.Exception("pipe2");
        if (pipe2(stderrPipe, O_CLOEXEC) < 0)
        {
            var e = LinuxError.Exception("pipe2");
            close(stdoutPipe[0]);
            close(stdoutPipe[1]);
            throw e;
        }

        var strings = new List<IntPtr>();
        int pid = 0;
        int rc;
        posix_spawn_file_actions_t actions;
        posix_spawnattr_t attributes;
        sigset_t noSignals, allSignals;
        Spawn.posix_spawn_file_actions_init(&actions);
        Spawn.posix_spawnattr_init(&attributes);
        try
        {
            byte* devNull = Utf8(strings, "/dev/null");
            Spawn.posix_spawn_file_actions_addopen(&actions, 0, devNull, O_RDONLY, 0);
            // dup2 clears FD_CLOEXEC on the copy; every other descriptor of ours closes at exec.
            Spawn.posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1);
            Spawn.posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2);
            // Descriptors we inherited without FD_CLOEXEC (from a service manager, a shell, a test runner) stay ours.
            Spawn.posix_spawn_file_actions_addclosefrom_np(&actions, 3);

            // Group id 0: the child leads a new group whose id is its pid. The runtime ignores SIGPIPE and may
            // block signals on its threads; a camera program must die of SIGPIPE when we close its pipe.
            Spawn.sigemptyset(&noSignals);
            Spawn.sigfillset(&allSignals);
            Spawn.posix_spawnattr_setflags(&attributes,
                Spawn.POSIX_SPAWN_SETPGROUP | Spawn.POSIX_SPAWN_SETSIGMASK | Spawn.POSIX_SPAWN_SETSIGDEF);
            Spawn.posix_spawnattr_setpgroup(&attributes, 0);
            Spawn.posix_spawnattr_setsigmask(&attributes, &noSignals);
            Spawn.posix_spawnattr_setsigdefault(&attributes, &allSignals);

            byte** argvNative = NullTerminated(strings, argv);
            byte** envNative = NullTerminated(strings, Environment());
            rc = Spawn.posix_spawn(&pid, Utf8(strings, path), &actions, &attributes, argvNative, envNative);
        }
        finally
        {
            Spawn.posix_spawn_file_actions_destroy(&actions);
            Spawn.posix_spawnattr_destroy(&attributes);
            foreach (var p in strings) Marshal.FreeHGlobal(p);
            close(stdoutPipe[1]);
            close(stderrPipe[1]);
        }
        if (rc != 0)
        {
            close(stdoutPipe[0]);
            close(stderrPipe[0]);
            throw new LinuxException(rc, "posix_spawn", path);
        }
        SetNonBlocking(stdoutPipe[0]);
        SetNonBlocking(stderrPipe[0]);
        return new ChildProcess(pid, stdoutPipe[0], stderrPipe[0]);
    }

    /// <summary>
    /// Collects every exited process of the group that is our child without blocking: the leader, and members
    /// orphaned to us when we are PID 1 in a container (no init to reap them) or a subreaper. True once the
    /// leader is reaped.
    /// </summary>
    public bool TryReap()
    {
        while (true)
        {
            int status;
            int pid = Spawn.waitpid(-Pid, &status, Spawn.WNOHANG);
            if (pid == Pid) WaitStatus = status;
            if (pid > 0) continue;
            if (pid < 0 && LinuxError.Last == EINTR) continue;
            // 0: members alive; ECHILD: none of the group is our child any more (the leader was reaped before).
            return WaitStatus is not null;
        }
    }

    /// <summary>True while any process of the group exists, zombies included.</summary>
    public bool GroupExists => kill(-Pid, 0) == 0 || LinuxError.Last != ESRCH;

    /// <summary>The leader is reaped and no process of its group is left.</summary>
    public bool HasEnded => TryReap() && !GroupExists;

    /// <summary>Sends <paramref name="signal"/> to every process of the group.</summary>
    public void SignalGroup(int signal) => kill(-Pid, signal);

    /// <summary>Closes our ends of the pipes: a program still writing gets SIGPIPE. Unregister them from the loop first.</summary>
    public void ClosePipes()
    {
        if (StdoutFd >= 0) close(StdoutFd);
        if (StderrFd >= 0) close(StderrFd);
        StdoutFd = StderrFd = -1;
    }

    /// <summary>
    /// Blocking stop for shutdown, when the loop no longer runs: SIGTERM to the group, SIGKILL to what is left
    /// after <paramref name="graceUs"/>, then waits for the group to be gone. False if something survived SIGKILL
    /// for a second (a process stuck in the kernel).
    /// </summary>
    public bool StopAndWait(long graceUs)
    {
        ClosePipes();
        SignalGroup(SIGTERM);
        if (WaitForEnd(graceUs)) return true;
        SignalGroup(SIGKILL);
        return WaitForEnd(1_000_000);
    }

    private bool WaitForEnd(long timeoutUs)
    {
        long until = MonotonicClock.NowUs + timeoutUs;
        while (!HasEnded)
        {
            if (MonotonicClock.NowUs >= until) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    /// <summary>Kills and reaps what is left (a stop that was not waited for) and closes the pipes.</summary>
    public void Dispose()
    {
        if (!HasEnded) StopAndWait(0);
        ClosePipes();
    }

    private static bool s_subreaper;

    /// <summary>
    /// A program whose shell dies first is orphaned; it comes to us instead of PID 1, so <see cref="TryReap"/> can
    /// collect it. PID 1 in a container (or a sandbox's init) may never reap it, and a zombie keeps its group
    /// alive: without this the stop could not tell that the group is gone.
    /// </summary>
    private static void BecomeSubreaper()
    {
        if (s_subreaper) return;
        s_subreaper = Spawn.prctl(Spawn.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
    }

    private static void SetNonBlocking(int fd) => fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);

    private static IEnumerable<string> Environment()
    {
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            yield return $"{entry.Key}={entry.Value}";
    }

    private static byte* Utf8(List<IntPtr> owned, string text)
    {
        int length = Encoding.UTF8.GetByteCount(text);
        var p = (byte*)Marshal.AllocHGlobal(length + 1);
        owned.Add((IntPtr)p);
        Encoding.UTF8.GetBytes(text, new Span<byte>(p, length));
        p[length] = 0;
        return p;
    }

    private static byte** NullTerminated(List<IntPtr> owned, IEnumerable<string> items)
    {
        var list = new List<string>(items);
        var array = (byte**)Marshal.AllocHGlobal((list.Count + 1) * sizeof(byte*));
        owned.Add((IntPtr)array);
        for (int i = 0; i < list.Count; i++) array[i] = Utf8(owned, list[i]);
        array[list.Count] = null;
        return array;
    }
}
