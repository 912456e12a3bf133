using System.Runtime.CompilerServices;

namespace Fmp4Streamer.Http;

/// <summary>
/// Entity tags (RFC 9110 8.8.3) of the answers caches may keep, written and compared without allocating: a content
/// hash for fixed bytes (pages, the manifest, icons, init segments), and the run and number for HLS segments and
/// parts, whose bytes never change under one URL within a run.
/// </summary>
internal static class EntityTag
{
    /// <summary>Room for any tag written here, quotes included.</summary>
    public const int MaxLength = 48;

    /// <summary>
    /// This process's run: segment numbers continue from the wall clock, so a daemon started after its clock was set
    /// back may number a segment as an earlier run did; a cache revalidating the old copy must not get a 304.
    /// </summary>
    private static readonly uint s_run = (uint)Random.Shared.Next() ^ (uint)Environment.ProcessId;

    private static readonly ConditionalWeakTable<byte[], StrongBox<ulong>> s_hashes = new();

    /// <summary>"0123456789abcdef": a 64-bit FNV-1a hash of the bytes (remembered per array: bodies are reused).</summary>
    public static int OfContent(byte[] body, Span<byte> tag)
    {
        if (!s_hashes.TryGetValue(body, out var box))
        {
            box = new StrongBox<ulong>(Fnv1a(body));
            s_hashes.AddOrUpdate(body, box);
        }
        tag[0] = (byte)'"';
        int n = 1 + Hex(box.Value, 16, tag[1..]);
        tag[n] = (byte)'"';
        return n + 1;
    }

    /// <summary>"run-sequence" for a whole segment, "run-sequence.part" for a part (<paramref name="part"/> ≥ 0).</summary>
    public static int OfSegment(long sequence, int part, Span<byte> tag)
    {
        tag[0] = (byte)'"';
        int n = 1 + Hex(s_run, 8, tag[1..]);
        tag[n++] = (byte)'-';
        sequence.TryFormat(tag[n..], out int w);
        n += w;
        if (part >= 0)
        {
            tag[n++] = (byte)'.';
            part.TryFormat(tag[n..], out w);
            n += w;
        }
        tag[n] = (byte)'"';
        return n + 1;
    }

    /// <summary>
    /// Whether an If-None-Match value ("*" or a list of entity tags) names <paramref name="tag"/>. If-None-Match
    /// compares weakly (RFC 9110 13.1.2): a W/ prefix on either side is ignored.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> ifNoneMatch, ReadOnlySpan<byte> tag)
    {
        var list = ifNoneMatch.Trim(" \t"u8);
        if (list.SequenceEqual("*"u8)) return true;
        while (!list.IsEmpty)
        {
            list = list.TrimStart(" \t,"u8);
            if (list.StartsWith("W/"u8)) list = list[2..];
            if (list.IsEmpty || list[0] != '"') return false;
            int close = list[1..].IndexOf((byte)'"');
            if (close < 0) return false;
            var candidate = list[..(close + 2)];
            if (candidate.SequenceEqual(tag)) return true;
            list = list[(close + 2)..];
        }
        return false;
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 0xcbf29ce484222325;
        foreach (byte b in bytes) hash = (hash ^ b) * 0x100000001b3;
        return hash;
    }

    private static int Hex(ulong value, int digits, Span<byte> into)
    {
        for (int i = digits - 1; i >= 0; i--)
        {
            int d = (int)(value & 0xf);
            into[i] = (byte)(d < 10 ? '0' + d : 'a' + d - 10);
            value >>= 4;
        }
        return digits;
    }
}
