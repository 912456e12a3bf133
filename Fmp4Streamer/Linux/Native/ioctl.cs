#pragma warning disable CS8981 // C names on purpose (grep the kernel header)

namespace Fmp4Streamer.Linux.Native;

/// <summary>
/// The kernel's _IOC request-number arithmetic (include/uapi/asm-generic/ioctl.h), shared by x86-64 and arm64.
/// Request numbers are built from the struct size so they follow the declarations instead of pasted hex.
/// </summary>
public static class ioctl
{
    public const int _IOC_NRBITS = 8;
    public const int _IOC_TYPEBITS = 8;
    public const int _IOC_SIZEBITS = 14;
    public const int _IOC_DIRBITS = 2;

    public const int _IOC_NRSHIFT = 0;
    public const int _IOC_TYPESHIFT = _IOC_NRSHIFT + _IOC_NRBITS;
    public const int _IOC_SIZESHIFT = _IOC_TYPESHIFT + _IOC_TYPEBITS;
    public const int _IOC_DIRSHIFT = _IOC_SIZESHIFT + _IOC_SIZEBITS;

    public const uint _IOC_NONE = 0;
    public const uint _IOC_WRITE = 1;
    public const uint _IOC_READ = 2;

    public static uint _IOC(uint dir, char type, uint nr, int size)
    {
        if ((uint)size >= 1u << _IOC_SIZEBITS) throw new ArgumentOutOfRangeException(nameof(size));
        return dir << _IOC_DIRSHIFT | (uint)type << _IOC_TYPESHIFT | nr << _IOC_NRSHIFT | (uint)size << _IOC_SIZESHIFT;
    }

    public static uint _IO(char type, uint nr) => _IOC(_IOC_NONE, type, nr, 0);
    public static uint _IOR(char type, uint nr, int size) => _IOC(_IOC_READ, type, nr, size);
    public static uint _IOW(char type, uint nr, int size) => _IOC(_IOC_WRITE, type, nr, size);
    public static uint _IOWR(char type, uint nr, int size) => _IOC(_IOC_READ | _IOC_WRITE, type, nr, size);

    public static uint _IOC_NR(uint request) => request >> _IOC_NRSHIFT & ((1u << _IOC_NRBITS) - 1);
    public static uint _IOC_TYPE(uint request) => request >> _IOC_TYPESHIFT & ((1u << _IOC_TYPEBITS) - 1);
    public static int _IOC_SIZE(uint request) => (int)(request >> _IOC_SIZESHIFT & ((1u << _IOC_SIZEBITS) - 1));
    public static uint _IOC_DIR(uint request) => request >> _IOC_DIRSHIFT & ((1u << _IOC_DIRBITS) - 1);
}
