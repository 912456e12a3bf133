// Encodes raw S16LE PCM from stdin to ADTS AAC on stdout with the daemon's encoder, and prints the encode speed
// (times realtime, CPU time of the encoder calls) on stderr.
// usage: AacEncode RATE CHANNELS BITRATE < in.s16 > out.aac
using System.Runtime.InteropServices;
using Fmp4Streamer.Aac;

if (args.Length != 3) { Console.Error.WriteLine("usage: AacEncode RATE CHANNELS BITRATE < in.s16 > out.aac"); return 2; }
int rate = int.Parse(args[0]), channels = int.Parse(args[1]), bitrate = int.Parse(args[2]);
var encoder = new AacEncoder(rate, channels, bitrate);
using Stream input = Console.OpenStandardInput(), output = Console.OpenStandardOutput();
var pcm = new short[encoder.FrameSamples * channels];
var frame = new byte[AdtsHeader.Size + encoder.MaxAccessUnitBytes];
long frames = 0;
TimeSpan cpu = TimeSpan.Zero;
bool more = true;
int tail = 2; // silent frames that push the last input through the encoder's delay
while (more || tail > 0)
{
    Span<byte> raw = MemoryMarshal.AsBytes(pcm.AsSpan());
    int got = 0;
    while (more && got < raw.Length)
    {
        int n = input.Read(raw[got..]);
        if (n == 0) more = false;
        got += n;
    }
    if (!more && got == 0) tail--;
    raw[got..].Clear();
    TimeSpan start = Environment.CpuUsage.TotalTime;
    int bytes = encoder.Encode(pcm, frame.AsSpan(AdtsHeader.Size));
    cpu += Environment.CpuUsage.TotalTime - start;
    frames++;
    if (bytes == 0) continue;
    AdtsHeader.Write(frame, encoder.AudioSpecificConfig, bytes);
    output.Write(frame, 0, AdtsHeader.Size + bytes);
}
double seconds = frames * 1024.0 / rate, spent = cpu.TotalSeconds;
Console.Error.WriteLine($"encoded {seconds:F1} s of audio in {spent:F2} s of CPU: {seconds / spent:F0}x realtime");
return 0;
