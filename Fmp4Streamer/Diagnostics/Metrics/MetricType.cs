namespace Fmp4Streamer.Diagnostics.Metrics;

/// <summary>The Prometheus metric types this daemon exposes.</summary>
public enum MetricType { Counter, Gauge, Histogram }
