using Fmp4Streamer.Alsa;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Tests.TestSupport;
using static Fmp4Streamer.Linux.Native.asound;

namespace Fmp4Streamer.Tests.Alsa;

/// <summary>The ALSA capture source against a simulated PCM device, on a clock the test moves.</summary>
public class AlsaCaptureSourceTests
{
    private ManualClock _clock = null!;
    private EventLoop _loop = null!;
    private SimulatedPcmDevice _device = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock();
        _loop = new EventLoop(_clock);
        _device = new SimulatedPcmDevice(_clock);
    }

    [TearDown]
    public void TearDown() => _loop.Dispose();

    private AlsaCaptureSource Source(int rate = 48000, int channels = 1, string name = "hw:1,0", string cards = "/nonexistent") =>
        new(_loop, _device, AlsaDeviceName.TryParse(name, out _)!, rate, channels, cards);

    [Test]
    public void NegotiatesS16AtTheRateAndChannelsAskedForWithPeriodWakeUps()
    {
        using var source = Source(rate: 32000, channels: 2);
        var sink = new RecordingPcmSink();
        source.Start(sink);
        Assert.That(source.IsOpen, Is.True);
        Assert.That(_device.Rate, Is.EqualTo(32000));
        Assert.That(source.PeriodFrames, Is.EqualTo(1024), "one AAC frame per period when the device has it");
        Assert.That(source.BufferFrames, Is.EqualTo(32 * 1024), "the largest buffer the device has (under 2 s)");
        Assert.That(_device.TstampMode, Is.EqualTo(SNDRV_PCM_TSTAMP_ENABLE));
        Assert.That(_device.TstampType, Is.EqualTo(SNDRV_PCM_TSTAMP_TYPE_MONOTONIC));

        _loop.AdvanceAndRun(_clock, 1_000_000, stepUs: 5_000);
        // 31 whole periods of 1024 frames fit in one second at 32 kHz; two channels interleaved.
        Assert.That(sink.Samples, Is.EqualTo(31 * 1024 * 2));
        Assert.That(sink.Breaks, Is.Empty);
    }

    [Test]
    public void ALoopBusyForHalfASecondLosesNoSample()
    {
        using var source = Source();
        var sink = new RecordingPcmSink();
        source.Start(sink);
        _loop.AdvanceAndRun(_clock, 100_000, stepUs: 10_000);
        _clock.Advance(500_000); // e.g. a picture decoded on the loop of a slow machine
        _loop.AdvanceAndRun(_clock, 100_000, stepUs: 10_000);
        Assert.That(source.Overruns, Is.Zero);
        Assert.That(sink.Breaks, Is.Empty);
        long frames = 0;
        foreach (var c in sink.Chunks)
        {
            Assert.That(c.FirstValue, Is.EqualTo((short)(frames & 0x7FFF)), "no frame lost or repeated");
            frames += c.Samples;
        }
        Assert.That(frames, Is.EqualTo(32 * 1024), "the 32 whole periods of 700 ms at 48 kHz");
    }

    [Test]
    public void TheBufferIsTheLargestUnderTwoSeconds()
    {
        _device.MaxPeriods = 1024;
        using var source = Source(rate: 16000);
        source.Start(new RecordingPcmSink());
        Assert.That(source.BufferFrames, Is.EqualTo(31 * 1024), "31 periods of 1024 frames: 1.98 s at 16 kHz");
    }

    [Test]
    public void EachChunkIsStampedWithTheCaptureTimeOfItsFirstSampleNotTheReadTime()
    {
        using var source = Source();
        var sink = new RecordingPcmSink();
        long start = _clock.NowUs;
        source.Start(sink);
        // Late, uneven reads: the loop wakes every 7 ms.
        _loop.AdvanceAndRun(_clock, 500_000, stepUs: 7_000);
        long frames = 0;
        foreach (var c in sink.Chunks)
        {
            Assert.That(c.FirstValue, Is.EqualTo((short)(frames & 0x7FFF)), "no frame lost or repeated");
            Assert.That(c.FirstUs, Is.EqualTo(start + frames * 1_000_000 / 48000).Within(1), $"chunk at frame {frames}");
            frames += c.Samples;
        }
        Assert.That(frames, Is.GreaterThan(20_000));
    }

    [Test]
    public void AnOverrunIsCountedAndCaptureResumes()
    {
        using var source = Source();
        var sink = new RecordingPcmSink();
        source.Start(sink);
        _loop.AdvanceAndRun(_clock, 100_000, stepUs: 10_000);
        long before = sink.Samples;
        _clock.Advance(1_000_000); // the loop is stuck for longer than the 683 ms buffer
        _loop.RunOnce(0);
        Assert.That(source.Overruns, Is.EqualTo(1));
        Assert.That(sink.Breaks, Is.EqualTo(new[] { "overrun" }));
        Assert.That(_device.Starts, Is.EqualTo(2), "prepared and started again");
        _loop.AdvanceAndRun(_clock, 200_000, stepUs: 10_000);
        Assert.That(sink.Samples - before, Is.GreaterThan(8_000), "capture continues after the overrun");
    }

    [Test]
    public void AnUnpluggedMicrophoneIsRetriedUntilItReturns()
    {
        using var source = Source();
        var sink = new RecordingPcmSink();
        source.Start(sink);
        _loop.AdvanceAndRun(_clock, 100_000, stepUs: 10_000);
        _device.Plugged = false;
        _loop.AdvanceAndRun(_clock, 30_000, stepUs: 10_000);
        Assert.That(source.IsOpen, Is.False);
        Assert.That(_device.IsOpen, Is.False, "the fd is closed");
        Assert.That(sink.Breaks, Does.Contain("device lost"));
        _loop.AdvanceAndRun(_clock, 3_000_000, stepUs: 100_000);
        Assert.That(source.IsWaitingForDevice, Is.True);
        Assert.That(_device.Opens, Is.EqualTo(1));

        _device.Plugged = true;
        _loop.AdvanceAndRun(_clock, 9_000_000, stepUs: 100_000);
        Assert.That(source.IsOpen, Is.True);
        Assert.That(_device.Opens, Is.EqualTo(2));
        long before = sink.Samples;
        _loop.AdvanceAndRun(_clock, 200_000, stepUs: 10_000);
        Assert.That(sink.Samples, Is.GreaterThan(before));
    }

    [Test]
    public void ARateTheDeviceLacksIsRefusedNamingWhatItOffers()
    {
        using var log = new StringWriter();
        var previous = Fmp4Streamer.Diagnostics.Log.Output;
        Fmp4Streamer.Diagnostics.Log.Output = log;
        try
        {
            using var source = Source(rate: 22050);
            source.Start(new RecordingPcmSink());
            Assert.That(source.IsOpen, Is.False);
            Assert.That(_device.IsOpen, Is.False);
            Assert.That(log.ToString(), Does.Contain("cannot capture 22050 Hz with 1 channel(s); the device offers 16000..48000 Hz, 1..2 channels"));
        }
        finally { Fmp4Streamer.Diagnostics.Log.Output = previous; }
    }

    [Test]
    public void StopClosesTheDeviceAndStartOpensItAgain()
    {
        using var source = Source();
        var sink = new RecordingPcmSink();
        source.Start(sink);
        source.Stop();
        Assert.That(_device.IsOpen, Is.False);
        _loop.AdvanceAndRun(_clock, 100_000, stepUs: 10_000);
        Assert.That(sink.Samples, Is.Zero);
        source.Start(sink);
        _loop.AdvanceAndRun(_clock, 100_000, stepUs: 10_000);
        Assert.That(sink.Samples, Is.GreaterThan(0));
        Assert.That(_device.Opens, Is.EqualTo(2));
    }

    [Test]
    public void ACardNamedByItsIdIsFoundInTheCardsList()
    {
        string cards = Path.GetTempFileName();
        try
        {
            File.WriteAllText(cards, " 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n                      HDA Intel PCH at 0xf7f10000 irq 33\n" +
                " 1 [Loopback       ]: Loopback - Loopback\n                      Loopback 1\n");
            Assert.That(AlsaDeviceName.TryParse("hw:CARD=Loopback,DEV=0", out _)!.Resolve(cards), Is.EqualTo("/dev/snd/pcmC1D0c"));
            Assert.That(AlsaDeviceName.TryParse("hw:PCH,2", out _)!.Resolve(cards), Is.EqualTo("/dev/snd/pcmC0D2c"));
            Assert.That(AlsaDeviceName.TryParse("hw:Missing", out _)!.Resolve(cards), Is.Null);
            using var source = Source(name: "hw:CARD=Loopback,DEV=0", cards: cards);
            source.Start(new RecordingPcmSink());
            Assert.That(source.IsOpen, Is.True);
        }
        finally { File.Delete(cards); }
    }

    [Test]
    public void ASubdeviceIsAskedForThroughTheCardsControlNode()
    {
        _device.BusySubdevices.Add(0);
        using var source = Source(name: "hw:1,0,2");
        source.Start(new RecordingPcmSink());
        Assert.That(source.IsOpen, Is.True);
        Assert.That(_device.OpenedSubdevice, Is.EqualTo(2));
        Assert.That(_device.ControlIsOpen, Is.False, "the control node is only held for the open");
    }

    [Test]
    public void ABusySubdeviceIsRetriedNotSwappedForAnother()
    {
        _device.BusySubdevices.Add(3);
        using var source = Source(name: "hw:1,0,3");
        source.Start(new RecordingPcmSink());
        Assert.That(source.IsOpen, Is.False);
        Assert.That(source.IsWaitingForDevice, Is.True);
        Assert.That(_device.ControlIsOpen, Is.False);
        _device.BusySubdevices.Clear();
        _loop.AdvanceAndRun(_clock, 1_100_000, stepUs: 50_000);
        Assert.That(source.IsOpen, Is.True);
        Assert.That(_device.OpenedSubdevice, Is.EqualTo(3));
    }

    [TestCase("hw:Loopback,1,0", "Loopback", 1, 0)]
    [TestCase("hw:CARD=Loopback,DEV=1,SUBDEV=7", "Loopback", 1, 7)]
    [TestCase("hw:0,1,2", null, 1, 2)]
    [TestCase("hw:0,1", null, 1, null)]
    public void SubdevicesParse(string name, string? cardId, int device, int? subdevice)
    {
        var parsed = AlsaDeviceName.TryParse(name, out string error);
        Assert.That(parsed, Is.Not.Null, error);
        Assert.That((parsed!.CardId, parsed.Device, parsed.Subdevice), Is.EqualTo((cardId, device, subdevice)));
    }

    [TestCase("hw:1,0", "/dev/snd/pcmC1D0c")]
    [TestCase("hw:2", "/dev/snd/pcmC2D0c")]
    [TestCase("/dev/snd/pcmC3D1c", "/dev/snd/pcmC3D1c")]
    public void NamesResolveToCaptureNodes(string name, string path) =>
        Assert.That(AlsaDeviceName.TryParse(name, out _)!.Resolve("/nonexistent"), Is.EqualTo(path));

    [TestCase("default", "is not hw:CARD,DEV")]
    [TestCase("plughw:1,0", "need libasound")]
    [TestCase("/dev/snd/pcmC1D0p", "playback node")]
    [TestCase("hw:1,x", "device number")]
    [TestCase("hw:99,0", "names no card")]
    [TestCase("hw:1,0,x", "subdevice number")]
    [TestCase("hw:1,0,1,1", "is not hw:CARD,DEV")]
    public void BadNamesSayWhatIsAccepted(string name, string message)
    {
        Assert.That(AlsaDeviceName.TryParse(name, out string error), Is.Null);
        Assert.That(error, Does.Contain(message));
    }
}
