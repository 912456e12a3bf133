namespace Fmp4Streamer.Access;

/// <summary>An htpasswd file that cannot be used: "FILE:LINE: user 'NAME': why" (or "FILE: why").</summary>
public sealed class HtpasswdException(string message) : Exception(message);
