namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>A command's output inside the guest, between RIG-BEGIN and RIG-END, with its exit code.</summary>
internal sealed record SectionOutput(string Text, int ExitCode);
