using System.Reflection;
using System.Text;
using Fmp4Streamer.Linux.Native;

namespace Fmp4Streamer.Tests.V4L2.Simulated;

/// <summary>What both simulated drivers need of the ioctl ABI: request names for their logs, and C string fields.</summary>
internal static unsafe class SimulatedIoctl
{
    private static readonly Dictionary<uint, string> s_requestNames = BuildRequestNames();

    /// <summary>"VIDIOC_QBUF" for its request number, else the number in hex.</summary>
    public static string Name(uint request) => s_requestNames.TryGetValue(request, out var name) ? name : $"0x{request:x8}";

    /// <summary>Fills a fixed-size, NUL-terminated char array of a kernel struct.</summary>
    public static void WriteText(byte* dest, int capacity, string text)
    {
        new Span<byte>(dest, capacity).Clear();
        Encoding.UTF8.GetBytes(text.AsSpan(), new Span<byte>(dest, capacity - 1));
    }

    private static Dictionary<uint, string> BuildRequestNames()
    {
        var names = new Dictionary<uint, string>();
        foreach (var f in typeof(videodev2).GetFields(BindingFlags.Public | BindingFlags.Static))
            if (f.Name.StartsWith("VIDIOC_", StringComparison.Ordinal) && f.GetValue(null) is uint value)
                names[value] = f.Name;
        return names;
    }
}
