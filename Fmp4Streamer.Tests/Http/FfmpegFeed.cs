using System.Buffers.Binary;
using System.Diagnostics;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Http;

/// <summary>
/// Runs ffmpeg (testsrc, x264, one frame per fragment) and feeds its ftyp+moov and moof+mdat boxes into a
/// <see cref="FakeLiveStream"/> on the loop thread, so real clients can be pointed at the server.
/// </summary>
internal sealed class FfmpegFeed : IDisposable
{
    private readonly Process _process;
    private readonly Thread _thread;
    private readonly LoopThread _loop;
    private readonly FakeLiveStream _stream;

    public FfmpegFeed(LoopThread loop, FakeLiveStream stream)
    {
        _loop = loop;
        _stream = stream;
        _process = ToolRun.Start("ffmpeg", ("-hide_banner -loglevel error -nostdin -re -f lavfi -i testsrc=size=640x480:rate=30 " +
            "-c:v libx264 -preset veryfast -tune zerolatency -g 30 -pix_fmt yuv420p -f mp4 " +
            "-movflags frag_keyframe+empty_moov+default_base_moof -frag_duration 33333 pipe:1").Split(' '));
        _process.StandardInput.Close();
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _thread = new Thread(Run) { IsBackground = true, Name = "ffmpeg feed" };
        _thread.Start();
    }

    public int Fragments { get; private set; }

    private void Run()
    {
        var input = _process.StandardOutput.BaseStream;
        var init = new MemoryStream();
        byte[]? moof = null;
        try
        {
            while (true)
            {
                var box = ReadBox(input);
                if (box == null) return;
                string type = System.Text.Encoding.ASCII.GetString(box, 4, 4);
                if (type == "ftyp") init.Write(box);
                else if (type == "moov")
                {
                    init.Write(box);
                    var segment = new Fmp4Streamer.Streaming.InitSegment(init.ToArray(), "avc1.640016", 640, 480, 15360);
                    _loop.Invoke(() => _stream.Init = segment);
                }
                else if (type == "moof") moof = box;
                else if (type == "mdat" && moof != null)
                {
                    var data = new byte[moof.Length + box.Length];
                    moof.CopyTo(data, 0);
                    box.CopyTo(data, moof.Length);
                    bool key = FirstSampleIsSync(moof);
                    _loop.Invoke(() => _stream.PublishData(data, key));
                    Fragments++;
                    moof = null;
                }
            }
        }
        catch (Exception) when (_process.HasExited || _disposed)
        {
        }
    }

    private volatile bool _disposed;

    private static byte[]? ReadBox(Stream s)
    {
        var header = new byte[8];
        if (!ReadAll(s, header)) return null;
        int size = (int)BinaryPrimitives.ReadUInt32BigEndian(header);
        var box = new byte[size];
        header.CopyTo(box, 0);
        return ReadAll(s, box.AsMemory(8).Span) ? box : null;
    }

    private static bool ReadAll(Stream s, Span<byte> buffer)
    {
        int got = 0;
        while (got < buffer.Length)
        {
            int n = s.Read(buffer[got..]);
            if (n == 0) return false;
            got += n;
        }
        return true;
    }

    /// <summary>Sample flags of the first sample (trun first_sample_flags or tfhd default), bit 0x10000 = non-sync (ISO/IEC 14496-12 8.8.3.1).</summary>
    private static bool FirstSampleIsSync(byte[] moof)
    {
        uint? defaults = null;
        foreach (var (type, start, end) in Children(moof, 8, moof.Length))
        {
            if (type != "traf") continue;
            foreach (var (t2, s2, e2) in Children(moof, start + 8, end))
            {
                var b = moof.AsSpan(s2 + 8, e2 - s2 - 8);
                uint flags = BinaryPrimitives.ReadUInt32BigEndian(b) & 0xFFFFFF;
                if (t2 == "tfhd")
                {
                    int p = 8;
                    if ((flags & 0x1) != 0) p += 8;
                    if ((flags & 0x2) != 0) p += 4;
                    if ((flags & 0x8) != 0) p += 4;
                    if ((flags & 0x10) != 0) p += 4;
                    if ((flags & 0x20) != 0) defaults = BinaryPrimitives.ReadUInt32BigEndian(b[p..]);
                }
                else if (t2 == "trun")
                {
                    int p = 8;
                    if ((flags & 0x1) != 0) p += 4;
                    uint? first = defaults;
                    if ((flags & 0x4) != 0) first = BinaryPrimitives.ReadUInt32BigEndian(b[p..]);
                    else if ((flags & 0x400) != 0)
                    {
                        int q = p + ((flags & 0x100) != 0 ? 4 : 0) + ((flags & 0x200) != 0 ? 4 : 0);
                        first = BinaryPrimitives.ReadUInt32BigEndian(b[q..]);
                    }
                    return first is uint f && (f & 0x10000) == 0;
                }
            }
        }
        return false;
    }

    private static IEnumerable<(string Type, int Start, int End)> Children(byte[] data, int start, int end)
    {
        while (start + 8 <= end)
        {
            int size = (int)BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(start));
            yield return (System.Text.Encoding.ASCII.GetString(data, start + 4, 4), start, start + size);
            start += size;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        try { _process.Kill(); } catch (InvalidOperationException) { }
        _process.WaitForExit(5000);
        _thread.Join(TimeSpan.FromSeconds(5));
        _process.Dispose();
    }
}
