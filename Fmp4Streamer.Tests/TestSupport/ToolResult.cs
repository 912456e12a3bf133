namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>What an external tool run by <see cref="ToolRun"/> printed, and how it ended (exit code -1 when it timed out).</summary>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr, bool TimedOut);
