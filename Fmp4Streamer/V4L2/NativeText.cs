using System.Text;

namespace Fmp4Streamer.V4L2;

/// <summary>Reads the NUL-terminated char arrays of kernel structs.</summary>
internal static unsafe class NativeText
{
    public static string Read(byte* chars, int capacity)
    {
        int length = 0;
        while (length < capacity && chars[length] != 0) length++;
        return Encoding.UTF8.GetString(chars, length);
    }

    public static void Write(byte* chars, int capacity, string text)
    {
        int n = Encoding.UTF8.GetBytes(text, new Span<byte>(chars, capacity - 1));
        chars[n] = 0;
    }
}
