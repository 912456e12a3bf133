using System.Runtime.InteropServices;
using Fmp4Streamer.Linux;

namespace Fmp4Streamer.Audio;

/// <summary>
/// <c>audio_command</c>: raw signed 16-bit little-endian PCM from a shell command's standard output (for example
/// <c>arecord -D plughw:1 -f S16_LE -r 48000 -c 1 -t raw</c>), at the configured rate and channel count.
/// <see cref="SupervisedCommand"/> keeps the program running like a video command. A pipe says nothing about when a
/// sample was captured: each read is stamped with the read time minus its own length, and the stream's audio clock
/// smooths that.
/// </summary>
public sealed class CommandAudioSource : IAudioSource, ICommandOutput
{
    private readonly EventLoop _loop;
    private readonly SupervisedCommand _command;
    private readonly byte[] _bytes;
    private readonly short[] _samples;
    private IPcmSink? _sink;
    private int _carry;

    public CommandAudioSource(EventLoop loop, string name, string command, int sampleRate, int channels)
    {
        _loop = loop;
        SampleRate = sampleRate;
        Channels = channels;
        // About 100 ms per read at most: enough to drain a burst, small enough to stamp well.
        _bytes = new byte[sampleRate / 10 * channels * 2];
        _samples = new short[_bytes.Length / 2];
        // The pipe's S16_LE bytes are taken as samples as they are: true on every host the binary is built for.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian host");
        _command = new SupervisedCommand(loop, name, command, "audio ", this);
        Description = $"audio command `{command}` ({sampleRate} Hz, {channels} ch)";
    }

    public string Description { get; }
    public int SampleRate { get; }
    public int Channels { get; }
    public int ProcessId => _command.ProcessId;

    public void Start(IPcmSink sink)
    {
        _sink = sink;
        _command.Start();
    }

    public void Stop()
    {
        _sink = null;
        _command.Stop();
    }

    public void Dispose() => _command.Dispose();

    Span<byte> ICommandOutput.ReadSpace => _bytes.AsSpan(_carry);

    void ICommandOutput.OnRead(int count)
    {
        int frameBytes = 2 * Channels;
        int total = _carry + count;
        int whole = total / frameBytes * frameBytes;
        if (whole > 0)
        {
            // Little-endian bytes to samples: one copy, no allocation.
            MemoryMarshal.Cast<byte, short>(_bytes.AsSpan(0, whole)).CopyTo(_samples);
            int frames = whole / frameBytes;
            _sink?.OnPcm(_samples.AsSpan(0, frames * Channels), _loop.NowUs - (long)frames * 1_000_000 / SampleRate);
        }
        _carry = total - whole;
        if (_carry > 0) _bytes.AsSpan(whole, _carry).CopyTo(_bytes);
    }

    void ICommandOutput.OnStarted() => _carry = 0;

    void ICommandOutput.OnClosed() => _sink?.OnPcmDiscontinuity("the audio command closed its output");
}
