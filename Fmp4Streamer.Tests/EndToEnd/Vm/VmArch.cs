namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>The guest architecture a rig boot emulates (tests/vm/setup.sh and run.sh take it as VM_ARCH).</summary>
public enum VmArch
{
    /// <summary>Debian's amd64 kernel under qemu-system-x86_64; the daemon is ./fmp4streamer.</summary>
    X64,

    /// <summary>Debian's arm64 kernel under qemu-system-aarch64 (a Raspberry Pi's architecture); ./fmp4streamer-arm64.</summary>
    Arm64,
}
