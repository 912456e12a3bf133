using Fmp4Streamer.Diagnostics.Metrics;
using Fmp4Streamer.Linux;
using Fmp4Streamer.Streaming;
using Fmp4Streamer.Tests.TestSupport;

namespace Fmp4Streamer.Tests.Diagnostics;

/// <summary>/metrics text read back by Prometheus' own Python parser (python3-prometheus-client).</summary>
public class MetricsRegistryTests
{
    // One line per family ("family NAME TYPE") and per sample ("NAME{k=v,...} VALUE", labels sorted).
    private const string ParserScript = """
        import sys
        from prometheus_client.parser import text_string_to_metric_families
        for family in text_string_to_metric_families(open(sys.argv[1], encoding='utf-8').read()):
            print('family', family.name, family.type)
            for s in family.samples:
                labels = ','.join(f'{k}={v}' for k, v in sorted(s.labels.items()))
                print(f'{s.name}{{{labels}}} {s.value!r}')
        """;

    private static List<string> Parse(string text)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"fmp4streamer-metrics-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "parse.py"), ParserScript);
            File.WriteAllText(Path.Combine(dir, "metrics.txt"), text);
            var result = ToolRun.Complete("/usr/bin/python3", [Path.Combine(dir, "parse.py"), Path.Combine(dir, "metrics.txt")],
                TimeSpan.FromMinutes(1), aptPackage: "python3-prometheus-client");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StdErr + "\n" + text);
            return result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TheTextIsWhatPrometheusParses()
    {
        var registry = new MetricsRegistry();
        var requests = registry.CreateCounter("fmp4streamer_rejections", "Requests refused,\nby reason \\ kind.",
            MetricsRegistry.Labels(("reason", "bad \"request\" \\ line\n2")));
        requests.Add(3);
        registry.CreateCounter("fmp4streamer_rejections", "ignored: the family's help is the first",
            MetricsRegistry.Labels(("reason", "timeout"))).Increment();
        registry.CreateGauge("fmp4streamer_connections", "Connections open.", MetricsRegistry.Labels(("kind", "hls"))).Set(7);
        registry.Add("fmp4streamer_uptime_seconds", "Seconds since start.", MetricType.Gauge, "", (Func<long>)(() => 42));
        var delay = new Histogram(new long[] { 1000, 10_000 });
        delay.Record(500);
        delay.Record(1000);
        delay.Record(5000);
        delay.Record(2_000_000);
        registry.Add("fmp4streamer_fanout_delay_seconds", "Fan-out delay.", MetricType.Histogram,
            MetricsRegistry.Labels(("stream", "video0")), delay);

        string text = registry.RenderText();
        Assert.That(text, Does.Contain("# TYPE fmp4streamer_rejections_total counter\n"));
        Assert.That(Parse(text), Is.EqualTo(new[]
        {
            "family fmp4streamer_rejections counter",
            "fmp4streamer_rejections_total{reason=bad \"request\" \\ line\n2} 3.0",
            "fmp4streamer_rejections_total{reason=timeout} 1.0",
            "family fmp4streamer_connections gauge",
            "fmp4streamer_connections{kind=hls} 7.0",
            "family fmp4streamer_uptime_seconds gauge",
            "fmp4streamer_uptime_seconds{} 42.0",
            "family fmp4streamer_fanout_delay_seconds histogram",
            "fmp4streamer_fanout_delay_seconds_bucket{le=0.001,stream=video0} 2.0",
            "fmp4streamer_fanout_delay_seconds_bucket{le=0.01,stream=video0} 3.0",
            "fmp4streamer_fanout_delay_seconds_bucket{le=+Inf,stream=video0} 4.0",
            "fmp4streamer_fanout_delay_seconds_sum{stream=video0} 2.0065",
            "fmp4streamer_fanout_delay_seconds_count{stream=video0} 4.0",
        }.SelectMany(l => l.Split('\n'))));
    }

    private sealed class ReleasingSubscriber : IFragmentSubscriber
    {
        public int Fragments;
        public void OnFragment(SharedFragment fragment) => Fragments++;
        public void OnStreamReset() { }
    }

    [Test]
    public void AStreamsCountersAfterAKnownRun()
    {
        var clock = new ManualClock();
        using var loop = new EventLoop(clock);
        var source = new TestPatternSource(loop, 320, 240, 30);
        var hub = new StreamHub(loop, source, new StreamHubOptions { Name = "cam", SleepGraceUs = 1_000_000 });
        var registry = new MetricsRegistry();
        hub.Register(registry);

        var viewer = new ReleasingSubscriber();
        hub.Subscribe(viewer); // starts the source: a frame at once, then one every 1/30 s
        loop.RunOnce(0);
        loop.AdvanceAndRun(clock, 1_000_000, stepUs: 1000); // 30 more
        hub.Unsubscribe(viewer);
        loop.AdvanceAndRun(clock, 2_000_000, stepUs: 1000); // 30 skipped, then asleep after the 1 s grace

        Assert.That(viewer.Fragments, Is.EqualTo(31));
        var samples = Parse(registry.RenderText());
        Assert.That(samples, Does.Contain("fmp4streamer_frames_captured_total{stream=cam} 61.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_frames_muxed_total{stream=cam} 31.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_frames_skipped_total{stream=cam} 30.0"));
        Assert.That(samples, Does.Contain($"fmp4streamer_muxed_bytes_total{{stream=cam}} {hub.BytesMuxed}.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_source_starts_total{stream=cam} 1.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_source_restarts_total{stream=cam} 0.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_subscribers{stream=cam} 0.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_source_running{stream=cam} 0.0"));
        // Fragments are released as soon as the viewer returns: no loop time passes, so every delay is 0.
        Assert.That(samples, Does.Contain("fmp4streamer_fanout_delay_seconds_bucket{le=0.0001,stream=cam} 31.0"));
        Assert.That(samples, Does.Contain("fmp4streamer_fanout_delay_seconds_count{stream=cam} 31.0"));
        Assert.That(Streamer.Summary(hub), Is.EqualTo($"61 frames captured, 31 muxed ({hub.BytesMuxed} bytes), 30 skipped; " +
            "0 key-frame requests, 1 source starts, 0 restarts; fan-out delay: median 0 us, p99 0 us"));
    }

    [Test]
    public void RenderingAgainReusesItsBuffers()
    {
        var registry = new MetricsRegistry();
        for (int i = 0; i < 20; i++) registry.CreateCounter("c" + i, "h", MetricsRegistry.Labels(("stream", "s"))).Add(i * 1000);
        var histogram = new Histogram(Histogram.LatencyBoundsUs);
        histogram.Record(1234);
        registry.Add("h_seconds", "h", MetricType.Histogram, MetricsRegistry.Labels(("stream", "s")), histogram);
        registry.Render();
        long bytes = AllocationProbe.MinimumBytes(3, () =>
        {
            for (int i = 0; i < 100; i++) registry.Render();
        });
        Assert.That(bytes, Is.Zero);
    }
}
