#pragma warning disable CS8981 // C names on purpose (grep spawn.h)
using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux.Native;

/// <summary>glibc's posix_spawnattr_t, opaque: only its size matters (checked against spawn.h by the layout tests).</summary>
[StructLayout(LayoutKind.Sequential, Size = 336)]
public struct posix_spawnattr_t { }

/// <summary>glibc's posix_spawn_file_actions_t, opaque.</summary>
[StructLayout(LayoutKind.Sequential, Size = 80)]
public struct posix_spawn_file_actions_t { }

/// <summary>glibc's sigset_t (1024 signal bits), opaque.</summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
public struct sigset_t { }

/// <summary>
/// posix_spawn(3) and waitpid(2), which Tmds.LibC does not bind. posix_spawn rather than fork: forking a .NET
/// process copies one thread of a multi-threaded runtime, and only async-signal-safe calls may follow; glibc's
/// posix_spawn does the fork-exec dance (with CLONE_VFORK) in C.
/// </summary>
public static unsafe partial class Spawn
{
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    public const int WNOHANG = 1;

    /// <summary>Returns 0 or an errno value (not -1): posix_spawn does not set errno.</summary>
    [LibraryImport("libc")]
    public static partial int posix_spawn(int* pid, byte* path, posix_spawn_file_actions_t* fileActions,
        posix_spawnattr_t* attributes, byte** argv, byte** envp);

    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_init(posix_spawn_file_actions_t* fileActions);

    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t* fileActions);

    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t* fileActions, int fd, int newFd);

    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t* fileActions, int fd, byte* path,
        int flags, uint mode);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_init(posix_spawnattr_t* attributes);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_destroy(posix_spawnattr_t* attributes);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setflags(posix_spawnattr_t* attributes, short flags);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setpgroup(posix_spawnattr_t* attributes, int processGroup);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setsigmask(posix_spawnattr_t* attributes, sigset_t* mask);

    [LibraryImport("libc")]
    public static partial int posix_spawnattr_setsigdefault(posix_spawnattr_t* attributes, sigset_t* signals);

    [LibraryImport("libc")]
    public static partial int sigemptyset(sigset_t* set);

    [LibraryImport("libc")]
    public static partial int sigfillset(sigset_t* set);

    /// <summary>Closes every descriptor from <paramref name="from"/> up in the child (glibc 2.34+).</summary>
    [LibraryImport("libc")]
    public static partial int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t* fileActions, int from);

    public const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport("libc", SetLastError = true)]
    public static partial int prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>pid &lt; -1 waits for a child in process group -pid.</summary>
    [LibraryImport("libc", SetLastError = true)]
    public static partial int waitpid(int pid, int* status, int options);
}
