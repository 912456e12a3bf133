namespace Fmp4Streamer.Tests.Interop;

/// <summary>One checkable fact: a C constant expression and the value the C# declarations give it.</summary>
public sealed record LayoutFact(string CExpression, ulong Value);
