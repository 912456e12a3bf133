namespace Fmp4Streamer.Tests.TestSupport;

/// <summary>
/// Bytes allocated on this thread by a piece of work, as the least over a few runs. A per-frame allocation shows in
/// every run; a one-off inside the runtime (tiering a hot loop, a lazily built table) shows in one run only and is
/// not what these tests are about.
/// </summary>
public static class AllocationProbe
{
    public static long MinimumBytes(int runs, Action work)
    {
        long least = long.MaxValue;
        for (int i = 0; i < runs; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            work();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
