using System.Text.RegularExpressions;
using Fmp4Streamer.Tests.Aac;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.EndToEnd.Vm;

/// <summary>
/// Sound from real kernel ALSA drivers, in one boot (tests/vm/payloads/audio.sh). The loopback H264 camera's section
/// has <c>audio = hw:Loopback,1,2</c>: snd-aloop's capture side, subdevice 2, fed by aplay in the guest playing the
/// host's 1 kHz tone at -12 dBFS into the playback side of that pair (any other subdevice captures silence); the host decodes /cam/stream.mp4 and finds the tone's frequency and level. Two test
/// pattern sections capture from snd-dummy at 44100 Hz mono and 16000 Hz stereo (rate and channel negotiation with a
/// driver that offers 5.5-48 kHz, 1-2 channels). Then the loopback card is taken away while a host client streams (its
/// platform device unbound: the kernel's card removal, which waits until every open file is closed) and bound again:
/// the daemon keeps the picture going, lets the card go, retries, and a new client hears the tone again.
/// Before the streams, snd-dummy's mixer: <c>-l</c> against amixer's view of the card, three keys set by <c>-l</c> and
/// read back by a second <c>-l</c> and amixer, an unknown key refused by <c>-l</c> and by the start.
/// </summary>
[Category("Vm")]
[Category("VmStreamer")]
public class AudioVmTests
{
    private const double ToneHz = 1000, TonePeakDbfs = -12, Seconds = 6;
    private const int LoopRate = 48000;

    private VmSession _vm = null!;
    private string _dir = null!;
    private int _exitCode;
    private string? _hostNote;
    private LiveAudioClip? _before, _after, _dummy44, _dummy16;
    private string _probe44 = "", _probe16 = "";
    private long _watcherAtUnplug = -1, _watcherAtReplug = -1, _watcherAtEnd = -1;
    private string? _watcherError;

    private string Url(string name) => $"http://127.0.0.1:{_vm.HostPort}/{name}/stream.mp4";

    [OneTimeSetUp]
    public void BootOnce()
    {
        Assert.That(File.Exists(VmRig.StreamerBinary), Is.True, $"{VmRig.StreamerBinary} missing: build it with ./build.sh");
        _dir = Directory.CreateTempSubdirectory("fmp4-audio-vm").FullName;
        string tone = Path.Combine(_dir, "tone.wav");
        double amplitude = Math.Pow(10, TonePeakDbfs / 20);
        ToolRun.Output("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i",
            FormattableString.Invariant($"aevalsrc={amplitude:F6}*sin(2*PI*{ToneHz}*t):s={LoopRate}:d=30"),
            "-c:a", "pcm_s16le", "-ac", "1", tone]);
        _vm = new VmSession("audio", VmRig.PayloadPath("audio.sh"), [VmRig.StreamerBinary, tone + "=tone.wav"], 240);
        StreamWatcher? watcher = null;
        try
        {
            if (_vm.TryWaitFor("RIG-MARK ready-for-clients", 150) == null)
            {
                _hostNote = "the daemon never got ready";
                return;
            }
            // The snd-dummy streams are read alongside the loopback one: the host's ffmpeg runs are mostly waiting.
            Task<LiveAudioClip> d44 = Task.Run(() => LiveAudioClip.Fetch(Url("dummy44"), 3, Path.Combine(_dir, "d44.s16")));
            Task<LiveAudioClip> d16 = Task.Run(() => LiveAudioClip.Fetch(Url("dummy16"), 3, Path.Combine(_dir, "d16.s16")));
            Task<string> p44 = Task.Run(() => Probe(Url("dummy44")));
            Task<string> p16 = Task.Run(() => Probe(Url("dummy16")));
            _before = LiveAudioClip.Fetch(Url("cam"), Seconds, Path.Combine(_dir, "before.s16"));
            (_dummy44, _dummy16, _probe44, _probe16) = (d44.Result, d16.Result, p44.Result, p16.Result);

            watcher = new StreamWatcher(Url("cam"));
            watcher.WaitForBytes(100_000, TimeSpan.FromSeconds(20));
            _watcherAtUnplug = watcher.Bytes;
            _vm.Signal("unplug");
            if (_vm.TryWaitFor("RIG-MARK replugged", 90) == null)
            {
                _hostNote = "the guest never reported the card back";
                return;
            }
            _watcherAtReplug = watcher.Bytes;
            _after = LiveAudioClip.Fetch(Url("cam"), Seconds, Path.Combine(_dir, "after.s16"));
            _watcherAtEnd = watcher.Bytes;
        }
        finally
        {
            _watcherError = watcher?.Error;
            watcher?.Dispose();
            _vm.Signal("done");
            _exitCode = _vm.WaitForExit(120);
            _vm.SaveSections("audio", "daemon-log", "aplay-log", "cards", "cards-after", "sub2-status",
                "amixer-before", "mixer-set", "mixer-read", "amixer-after", "mixer-unknown-list", "mixer-unknown-start");
            TestContext.Progress.WriteLine($"Audio VM: {_vm.Elapsed.TotalSeconds:F1} s; before: {_before}; after: {_after}; " +
                $"dummy44: {_dummy44}; dummy16: {_dummy16}; mixer checks {V("mixer_seconds")} s; unbind {V("unbind_seconds")} s; watcher bytes " +
                $"{_watcherAtUnplug}/{_watcherAtReplug}/{_watcherAtEnd}; " +
                $"overruns logged: {Regex.Matches(DaemonLog, "audio: overrun").Count}");
        }
    }

    [OneTimeTearDown]
    public void PowerOff()
    {
        _vm?.Dispose();
        if (_dir != null) Directory.Delete(_dir, recursive: true);
    }

    private string? V(string name) => _vm.Console.Value(name);

    private string AplayLog => _vm.Console.Section("aplay-log")?.Text ?? "(no aplay log)";

    private string DaemonLog => _vm.Console.Section("daemon-log")?.Text ?? "(no daemon log)";

    /// <summary>The streams' codec, sample rate and channels as ffprobe reads them from the init segment.</summary>
    private static string Probe(string url) =>
        ToolRun.Run("ffprobe", ["-v", "error", "-rw_timeout", "30000000", "-select_streams", "a",
            "-show_entries", "stream=codec_name,profile,sample_rate,channels", "-of", "compact", url], TimeSpan.FromSeconds(60)).StdOut.Trim();

    [Test]
    public void PayloadCompletesWithTheDaemonAlive()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        Assert.That(_exitCode, Is.EqualTo(0), _vm.Tail());
        Assert.That(V("alive_at_end"), Is.EqualTo("yes"), DaemonLog);
        Assert.That(V("daemon_exit"), Is.EqualTo("0"), DaemonLog);
    }

    [Test]
    public void TheLoopbackToneIsHeardWithItsFrequencyAndLevel()
    {
        AssertTone(_before, "before the removal");
    }

    [Test]
    public void TheDaemonHoldsTheSubdeviceItNamed()
    {
        // Subdevice 0 is what an open without a preference takes first: it is free, and 2 captures.
        Assert.That(_vm.RequireSection("sub2-status").Text, Does.Contain("state: RUNNING"), DaemonLog);
        Assert.That(_vm.RequireSection("sub0-status").Text.Trim(), Is.EqualTo("closed"));
        Assert.That(DaemonLog, Does.Contain("ALSA hw:Loopback,1,2: capturing from /dev/snd/pcmC0D1c: 48000 Hz, 1 ch"));
    }

    [Test]
    public void SndDummyNegotiates44100HzMono()
    {
        AssertDummy(_dummy44, _probe44, 44100, 1);
    }

    [Test]
    public void SndDummyNegotiates16000HzStereo()
    {
        AssertDummy(_dummy16, _probe16, 16000, 2);
    }

    [Test]
    public void TheCardTakenAwayIsLetGoAndRetriedWithoutACrash()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        // The unbind returns only once nobody holds the card open: the daemon closed it on the driver's ENODEV.
        Assert.That(V("unbind_rc"), Is.EqualTo("0"), DaemonLog);
        Assert.That(double.Parse(V("unbind_seconds")!, System.Globalization.CultureInfo.InvariantCulture), Is.LessThan(5), DaemonLog);
        Assert.That(V("card_gone"), Is.EqualTo("yes"));
        Assert.That(V("snd_fds_while_gone"), Is.EqualTo("0"), DaemonLog);
        Assert.That(V("alive_while_gone"), Is.EqualTo("yes"), DaemonLog);
        string log = DaemonLog;
        Assert.That(log, Does.Contain("ALSA hw:Loopback,1,2: read: ENODEV"), "the loss is logged");
        Assert.That(log, Does.Contain("ALSA hw:Loopback,1,2: card 'Loopback' is not in /proc/asound/cards; retrying"), "the retry is logged");
        // The retry is logged once, not at every attempt.
        Assert.That(Regex.Matches(log, "card 'Loopback' is not in").Count, Is.EqualTo(1), log);
        Assert.That(V("captures_before"), Is.EqualTo("1"), log);
        Assert.That(V("captures_after"), Is.EqualTo("2"), log);
        Assert.That(log, Does.Not.Contain("Unhandled exception"));
    }

    [Test]
    public void ThePictureGoesOnForAClientAcrossTheRemoval()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        Assert.That(_watcherError, Is.Null);
        Assert.That(_watcherAtUnplug, Is.GreaterThan(0));
        Assert.That(_watcherAtReplug, Is.GreaterThan(_watcherAtUnplug), "no bytes while the card was away");
        Assert.That(_watcherAtEnd, Is.GreaterThan(_watcherAtReplug), "no bytes after the card came back");
    }

    [Test]
    public void ANewClientHearsTheToneAfterTheCardIsBack()
    {
        Assert.That(_hostNote, Is.Null, DaemonLog);
        AssertTone(_after, "after the card came back");
    }

    [Test]
    public void MinusLListsSndDummysMixerControlsAsTheDriverHasThem()
    {
        var amixer = _vm.RequireSection("amixer-before");
        Assert.That(amixer.ExitCode, Is.EqualTo(0), amixer.Text);
        List<AmixerControl> driver = AmixerControl.Parse(amixer.Text);
        // Five volumes with their capture switches and the I/O box list: all active at power-on, so amixer shows them all.
        Assert.That(driver, Has.Count.EqualTo(11), amixer.Text);
        var listed = _vm.RequireSection("mixer-read");
        Assert.That(listed.ExitCode, Is.EqualTo(0), listed.Text);
        Assert.That(listed.Text, Does.Contain("Device: /dev/snd/controlC1 (audio = hw:Dummy,0)\nName: Dummy\nDriver: Dummy\n"));
        var lines = AmixerControl.ParseListing(listed.Text);
        Assert.That(lines.Keys, Is.EquivalentTo(driver.Select(c => c.Key)), listed.Text);
        foreach (AmixerControl c in driver)
        {
            string info = lines[c.Key].Info;
            string expected = c.Type switch
            {
                "INTEGER" => $"min: {c.Min} max: {c.Max}",
                "BOOLEAN" => "values: off on",
                _ => "values: " + string.Join(' ', c.Items.Select(i => $"'{i}'")),
            };
            if (c.Channels > 1) expected += $" channels: {c.Channels}";
            Assert.That(info, Does.StartWith(expected), $"{c.Key} against amixer's {c}");
        }
        // The driver's volume range, whatever amixer says.
        Assert.That(lines["mixer_master_volume"].Info, Is.EqualTo("min: -50 max: 100 channels: 2"));
    }

    [Test]
    public void TheConfiguredMixerValuesAreWhatTheCardReadsBack()
    {
        Dictionary<string, string> before = AmixerValues("amixer-before"), after = AmixerValues("amixer-after");
        // Every key is away from its power-on value, so a write that did not happen cannot pass.
        Assert.That((before["Master Volume"], before["Mic Capture Switch"], before["External I/O Box"]), Is.EqualTo(("0,0", "off,off", "1")));
        Assert.That((after["Master Volume"], after["Mic Capture Switch"], after["External I/O Box"]), Is.EqualTo(("-20,-20", "on,on", "0")));
        Assert.That((after["Synth Volume"], after["Master Capture Switch"]), Is.EqualTo(("0,0", "off,off")), "untouched controls stay");
        foreach (string section in new[] { "mixer-set", "mixer-read" })
        {
            var listing = _vm.RequireSection(section);
            Assert.That(listing.ExitCode, Is.EqualTo(0), listing.Text);
            var lines = AmixerControl.ParseListing(listing.Text);
            Assert.That((lines["mixer_master_volume"].Value, lines["mixer_mic_capture_switch"].Value, lines["mixer_external_i_o_box"].Value),
                Is.EqualTo(("-20", "on", "None")), section);
        }
    }

    [Test]
    public void TheListingAfterSettingShowsTheCardAsItIsThen()
    {
        // Choosing 'None' in snd-dummy's I/O box makes its CD controls inactive: the -l that set it shows that, as a
        // fresh -l does (amixer's contents leaves inactive controls out).
        var set = AmixerControl.ParseListing(_vm.RequireSection("mixer-set").Text);
        var read = AmixerControl.ParseListing(_vm.RequireSection("mixer-read").Text);
        Assert.That(read["mixer_cd_volume"].Info, Does.EndWith(" inactive"));
        Assert.That(AmixerValues("amixer-after").Keys, Does.Not.Contain("CD Volume"));
        Assert.That(set, Is.EquivalentTo(read));
    }

    [Test]
    public void AnUnknownMixerKeyStopsListingAndStartWithTheKeyNamed()
    {
        foreach (string section in new[] { "mixer-unknown-list", "mixer-unknown-start" })
        {
            var run = _vm.RequireSection(section);
            Assert.That(run.ExitCode, Is.EqualTo(3), $"{section}: {run.Text}");
            Assert.That(run.Text, Does.Contain("/tmp/mixer.conf:5: hw:Dummy,0 (Dummy) has no mixer control 'mixer_nonexistent'; " +
                "valid mixer controls: mixer_master_volume,"), section);
        }
        // The file's valid key (master volume 10) was not written either: the check comes before any write.
        Assert.That(_vm.RequireSection("amixer-unknown").Text, Does.Contain(": values=-20,-20"));
    }

    /// <summary>A control's values by name, as amixer printed them in <paramref name="section"/>.</summary>
    private Dictionary<string, string> AmixerValues(string section)
    {
        var output = _vm.RequireSection(section);
        Assert.That(output.ExitCode, Is.EqualTo(0), output.Text);
        return AmixerControl.Parse(output.Text).ToDictionary(c => c.Name, c => c.Values);
    }

    private void AssertTone(LiveAudioClip? clip, string when)
    {
        Assert.That(clip, Is.Not.Null, _hostNote + "\n" + DaemonLog);
        Assert.That(clip!.ExitCode, Is.EqualTo(0), clip.ToString());
        Assert.That(clip.Warnings, Is.Empty, "ffmpeg warned decoding the stream " + when);
        // ffmpeg stops at 6 s of the track's time; an overrun in a guest starved by a busy host leaves a gap, so fewer.
        Assert.That(clip.Samples.Length, Is.InRange(2 * LoopRate, (Seconds + 0.1) * LoopRate), clip.ToString());
        short[] x = clip.Channel(0, 1, LoopRate, 0.25);
        double hz = AacTestAudio.ZeroCrossingHz(x, LoopRate);
        Assert.That(hz, Is.EqualTo(ToneHz).Within(ToneHz * 0.02), $"frequency {when}");
        var (amplitude, fitSnrDb) = AacTestAudio.FitSine(x, LoopRate, hz);
        double peakDbfs = 20 * Math.Log10(amplitude / 32768);
        Assert.That(peakDbfs, Is.EqualTo(TonePeakDbfs).Within(3), $"level {when}");
        // The tone is the whole signal: no noise of any weight, and gaps (aplay underruns in a starved guest: 28 dB
        // was seen under load, 63 dB otherwise) of under about 3 % of the clip. Another subdevice's silence fails here.
        Assert.That(fitSnrDb, Is.GreaterThan(15), $"tone-to-rest ratio {when}; aplay: {AplayLog}");
        TestContext.Progress.WriteLine($"tone {when}: {hz:F2} Hz, {peakDbfs:F2} dBFS peak, fit SNR {fitSnrDb:F1} dB");
    }

    private void AssertDummy(LiveAudioClip? clip, string probe, int rate, int channels)
    {
        Assert.That(clip, Is.Not.Null, _hostNote + "\n" + DaemonLog);
        Assert.That(probe, Does.Contain("codec_name=aac").And.Contain("profile=LC"), probe);
        Assert.That(probe, Does.Contain($"sample_rate={rate}").And.Contain($"channels={channels}"), probe);
        Assert.That(clip!.ExitCode, Is.EqualTo(0), clip.ToString());
        Assert.That(clip.Warnings, Is.Empty, $"ffmpeg warned decoding the {rate} Hz stream");
        // Up to 3 s of the track's time in the stream's own samples (fewer after an overrun, see AssertTone).
        Assert.That(clip.Samples.Length % channels, Is.Zero);
        Assert.That(clip.Samples.Length, Is.InRange(rate * channels, 3.1 * rate * channels), clip.ToString());
        Assert.That(DaemonLog, Does.Contain($"capturing from /dev/snd/pcmC1D0c: {rate} Hz, {channels} ch"));
    }
}
