using System.Globalization;
using Fmp4Streamer.H264.TestPattern;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Audio;

/// <summary>
/// A stream hub with the test pattern's picture and ffmpeg's AAC, driven on a made-up timeline: 30 fps frames and
/// 10 ms PCM periods, both captured from <see cref="StartUs"/> on, handed over in capture order. A subscriber keeps
/// the init segment and every fragment as an MP4 file for ffmpeg to read.
/// </summary>
internal sealed class AvRecording : IDisposable, IFragmentSubscriber
{
    public const long StartUs = 5_000_000;
    public const int Fps = 30;
    public const int PeriodFrames = 480;

    private readonly EventLoop _loop;
    private readonly bool _ownsLoop;
    private readonly ManualVideoSource _video = new(Fps);
    private readonly TestPatternEncoder _encoder = new(320, 240, Fps);
    private readonly byte[] _frame;
    private readonly MemoryStream _file = new();
    private bool _initWritten;
    private long _frameNumber;
    private long _periods;

    public AvRecording(AdtsFrames aac, bool withAudio = true, EventLoop? loop = null)
    {
        _ownsLoop = loop is null;
        _loop = loop ?? new EventLoop();
        _frame = new byte[_encoder.MaxFrameSize];
        Pcm = new ManualPcmSource(aac.SampleRate, aac.Channels);
        Encoder = new PrecodedAacEncoder(aac);
        Hub = new StreamHub(_loop, _video, new StreamHubOptions { Name = "av", AutoSleep = false },
            withAudio ? new AudioTrack(Pcm, Encoder, "av") : null);
        Hub.Open();
        Hub.Subscribe(this);
    }

    public StreamHub Hub { get; }
    public ManualPcmSource Pcm { get; }
    public PrecodedAacEncoder Encoder { get; }
    public List<byte[]> Fragments { get; } = new();
    public byte[] Bytes => _file.ToArray();

    /// <summary>Microseconds added to each PCM period's measured capture time (jitter), by period index.</summary>
    public Func<long, long> PcmJitterUs { get; set; } = _ => 0;

    /// <summary>Audio clock speed relative to the monotonic clock minus 1 (e.g. 100e-6: the card runs 100 ppm fast).</summary>
    public double AudioDrift { get; set; }

    /// <summary>Hands over everything captured until <paramref name="seconds"/> after the start, in capture order.</summary>
    public void RunUntil(double seconds)
    {
        long until = StartUs + (long)(seconds * 1_000_000);
        int rate = Pcm.SampleRate;
        while (true)
        {
            long videoAt = StartUs + _frameNumber * 1_000_000 / Fps;
            // A period is delivered when its last sample is in; the card's clock runs at (1 + drift).
            long periodStart = StartUs + (long)(_periods * PeriodFrames * 1_000_000.0 / rate / (1 + AudioDrift));
            long periodEnd = StartUs + (long)((_periods + 1) * PeriodFrames * 1_000_000.0 / rate / (1 + AudioDrift));
            if (Math.Min(videoAt, periodEnd) > until) break;
            if (videoAt <= periodEnd)
            {
                int length = _encoder.EncodeFrame(_frameNumber, 0, _frameNumber % Fps == 0, _frame);
                _video.Sink!.OnAccessUnit(_frame.AsSpan(0, length), videoAt);
                _frameNumber++;
            }
            else
            {
                if (Pcm.Sink is not null) Pcm.Push(PeriodFrames, periodStart + PcmJitterUs(_periods));
                _periods++;
            }
        }
    }

    /// <summary>False: fragments are not kept (allocation tests).</summary>
    public bool Keep { get; set; } = true;

    public void OnFragment(SharedFragment fragment)
    {
        if (!Keep) return;
        if (!_initWritten)
        {
            _file.Write(fragment.Init.Bytes);
            _initWritten = true;
        }
        _file.Write(fragment.Span);
        Fragments.Add(fragment.Span.ToArray());
    }

    public void OnStreamReset() { }

    public string WriteFile(string name) => FfmpegFixtures.WriteTemp(name, Bytes);

    public void Dispose()
    {
        if (!_ownsLoop) return;
        Hub.Close();
        _loop.Dispose();
    }

    /// <summary>Seconds as ffprobe prints them.</summary>
    public static double Seconds(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
