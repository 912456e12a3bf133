using System.Buffers.Text;

namespace Fmp4Streamer.Mp4.Hls;

/// <summary>
/// ASCII playlist text written straight into a reusable byte buffer: a rebuild allocates nothing once the buffer
/// has grown to the playlist's size. Numbers are formatted without strings or culture.
/// </summary>
public sealed class PlaylistText
{
    private byte[] _bytes;

    public PlaylistText(int capacity = 1024) => _bytes = new byte[Math.Max(64, capacity)];

    public byte[] Buffer => _bytes;
    public int Length { get; private set; }
    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, Length);

    public void Clear() => Length = 0;

    public void Append(ReadOnlySpan<byte> ascii)
    {
        ascii.CopyTo(Reserve(ascii.Length));
        Length += ascii.Length;
    }

    /// <summary>Text known to be ASCII (codec strings, fixed names).</summary>
    public void Append(string ascii)
    {
        var span = Reserve(ascii.Length);
        for (int i = 0; i < ascii.Length; i++) span[i] = (byte)ascii[i];
        Length += ascii.Length;
    }

    public void Append(byte ascii)
    {
        Reserve(1)[0] = ascii;
        Length++;
    }

    public void Append(long value)
    {
        Utf8Formatter.TryFormat(value, Reserve(20), out int written);
        Length += written;
    }

    /// <summary>
    /// <paramref name="numerator"/> / <paramref name="denominator"/> with <paramref name="decimals"/> decimals,
    /// rounded half up (durations and rates are never negative).
    /// </summary>
    public void AppendDecimal(ulong numerator, ulong denominator, int decimals)
    {
        ulong scale = 1;
        for (int i = 0; i < decimals; i++) scale *= 10;
        UInt128 scaled = ((UInt128)numerator * scale + denominator / 2) / denominator;
        Append((long)(ulong)(scaled / scale));
        if (decimals == 0) return;
        Append((byte)'.');
        ulong fraction = (ulong)(scaled % scale);
        var digits = Reserve(decimals);
        for (int i = decimals - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + fraction % 10);
            fraction /= 10;
        }
        Length += decimals;
    }

    /// <summary>Seconds of <paramref name="ticks"/> with five decimals, as the part target and hold back print them.</summary>
    public void AppendSeconds(ulong ticks, uint timescale) => AppendDecimal(ticks, timescale, 5);

    /// <summary>A duration in units of 10 µs as seconds with five decimals (EXTINF, part durations).</summary>
    public void AppendUnits(long units) => AppendDecimal((ulong)Math.Max(0, units), PlaylistDurations.UnitsPerSecond, 5);

    /// <summary>A UTC time as ISO 8601 with milliseconds: 2026-01-02T03:04:05.678Z (RFC 8216 4.3.2.6).</summary>
    public void AppendDateTime(DateTime utc)
    {
        Digits(utc.Year, 4);
        Append((byte)'-');
        Digits(utc.Month, 2);
        Append((byte)'-');
        Digits(utc.Day, 2);
        Append((byte)'T');
        Digits(utc.Hour, 2);
        Append((byte)':');
        Digits(utc.Minute, 2);
        Append((byte)':');
        Digits(utc.Second, 2);
        Append((byte)'.');
        Digits(utc.Millisecond, 3);
        Append((byte)'Z');
    }

    public override string ToString() => System.Text.Encoding.ASCII.GetString(Span);

    private void Digits(int value, int count)
    {
        var span = Reserve(count);
        for (int i = count - 1; i >= 0; i--)
        {
            span[i] = (byte)('0' + value % 10);
            value /= 10;
        }
        Length += count;
    }

    private Span<byte> Reserve(int bytes)
    {
        if (Length + bytes > _bytes.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + bytes));
        return _bytes.AsSpan(Length, bytes);
    }
}
