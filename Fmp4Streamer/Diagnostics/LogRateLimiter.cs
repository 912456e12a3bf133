using System.Globalization;

namespace Fmp4Streamer.Diagnostics;

/// <summary>
/// Keeps a flood of one kind of line out of the journal: per reason (a small integer, e.g. a rejection reason), the
/// first line is written, the ones that follow within the interval are only counted, and the next line after it
/// carries the count: "bad request (repeated 1234 times in the last 10 s)". <see cref="Flush"/> writes counts left
/// over (on a timer or at shutdown). Counting allocates nothing; callers pass the time (their loop's clock) and a
/// message that is already built, or check <see cref="TryAcquire"/> before formatting one.
/// </summary>
public sealed class LogRateLimiter
{
    private readonly long _intervalUs;
    private readonly long[] _lastWrittenUs;
    private readonly long[] _suppressed;
    private readonly string?[] _lastMessage;

    /// <param name="reasons">Reasons are 0 .. reasons-1.</param>
    /// <param name="intervalUs">At most one line per reason per interval (10 s by default).</param>
    public LogRateLimiter(int reasons, long intervalUs = 10_000_000)
    {
        _intervalUs = intervalUs;
        _lastWrittenUs = new long[reasons];
        _suppressed = new long[reasons];
        _lastMessage = new string?[reasons];
        Array.Fill(_lastWrittenUs, long.MinValue);
    }

    /// <summary>Lines of <paramref name="reason"/> counted but not written since its last written line.</summary>
    public long Suppressed(int reason) => _suppressed[reason];

    /// <summary>
    /// True when a line of this reason may be written now; then <paramref name="suppressed"/> lines were held back
    /// during the <paramref name="sinceUs"/> microseconds since the previous one. False: the line was counted.
    /// </summary>
    public bool TryAcquire(int reason, long nowUs, out long suppressed, out long sinceUs)
    {
        long last = _lastWrittenUs[reason];
        if (last != long.MinValue && nowUs - last < _intervalUs)
        {
            _suppressed[reason]++;
            suppressed = sinceUs = 0;
            return false;
        }
        suppressed = _suppressed[reason];
        sinceUs = last == long.MinValue ? 0 : nowUs - last;
        _suppressed[reason] = 0;
        _lastWrittenUs[reason] = nowUs;
        return true;
    }

    /// <summary>Writes <paramref name="message"/> now, or counts it if a line of this reason was written recently.</summary>
    public void Write(Log.Level level, string component, int reason, long nowUs, string message)
    {
        if (!Log.IsEnabled(level)) return;
        _lastMessage[reason] = message;
        if (!TryAcquire(reason, nowUs, out long suppressed, out long sinceUs)) return;
        Log.Write(level, component, suppressed > 0 ? message + Repeated(suppressed, sinceUs) : message);
    }

    /// <summary>Writes the count of every reason with held-back lines (with the last message of that reason).</summary>
    public void Flush(Log.Level level, string component, long nowUs)
    {
        for (int reason = 0; reason < _suppressed.Length; reason++)
        {
            long suppressed = _suppressed[reason];
            if (suppressed == 0 || _lastMessage[reason] is not string message) continue;
            long sinceUs = nowUs - _lastWrittenUs[reason];
            _suppressed[reason] = 0;
            _lastWrittenUs[reason] = nowUs;
            Log.Write(level, component, message + Repeated(suppressed, sinceUs));
        }
    }

    /// <summary>" (repeated 1234 times in the last 10 s)".</summary>
    public static string Repeated(long times, long sinceUs) =>
        string.Create(CultureInfo.InvariantCulture,
            $" (repeated {times} time{(times == 1 ? "" : "s")} in the last {Math.Max(1, (sinceUs + 500_000) / 1_000_000)} s)");
}
