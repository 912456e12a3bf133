namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>What tests/vm/setup.sh prepared: the guest kernel's version, the cache and the H264 test stream.</summary>
internal sealed record VmSetup(string KernelVersion, string WorkDir, string TestStream);
