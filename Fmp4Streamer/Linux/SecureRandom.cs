using System.Runtime.InteropServices;

namespace Fmp4Streamer.Linux;

/// <summary>
/// Random bytes from the kernel (getrandom(2)). .NET's RandomNumberGenerator goes through OpenSSL on Linux, which
/// a NativeAOT binary loads at its first use and aborts without: the binary must start where no libssl is installed.
/// </summary>
public static partial class SecureRandom
{
    private const int EINTR = 4;

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint getrandom(byte* buffer, nuint length, uint flags);

    public static unsafe void Fill(Span<byte> destination)
    {
        fixed (byte* start = destination)
        {
            int done = 0;
            while (done < destination.Length)
            {
                nint n = getrandom(start + done, (nuint)(destination.Length - done), 0);
                if (n < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == EINTR) continue;
                    throw new LinuxException(errno, "getrandom", null);
                }
                done += (int)n;
            }
        }
    }
}
