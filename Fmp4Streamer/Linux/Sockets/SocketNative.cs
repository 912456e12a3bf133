using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux.Sockets;

/// <summary>The few libc socket helpers Tmds.LibC does not declare.</summary>
internal static unsafe partial class SocketNative
{
    /// <summary>Text to binary address; 1 on success, 0 when <paramref name="src"/> is not an address of the family.</summary>
    [LibraryImport("libc", EntryPoint = "inet_pton", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int inet_pton(int af, string src, void* dst);

    /// <summary>Binary address to text; returns dst, or null with errno set.</summary>
    [LibraryImport("libc", EntryPoint = "inet_ntop", SetLastError = true)]
    internal static partial byte* inet_ntop(int af, void* src, byte* dst, uint size);
}
