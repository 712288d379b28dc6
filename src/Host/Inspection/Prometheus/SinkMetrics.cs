using Aggregator.Actors.Sinks;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>Sink shards: how far the journal is behind, what was dropped or failed, and whether the store's circuit is open.</summary>
public static class SinkMetrics
{
    /// <summary>Every state Polly's circuit breaker has; each shard reports 1 for its current one and 0 for the rest.</summary>
    private static readonly string[] BreakerStates = ["Closed", "Open", "HalfOpen", "Isolated"];

    public static void Write(ExpositionWriter writer, IReadOnlyList<SinkShardSnapshot> shards)
    {
        Gauge(writer, shards, "aggregator_sink_journal_lag_entries", "Entries received by the shard and not yet journaled.", s => s.JournalLag);
        Gauge(writer, shards, "aggregator_sink_buffered_entries", "Entries the shard holds in its buffer.", s => s.Buffered);
        Gauge(writer, shards, "aggregator_sink_aggregate_lag_rows", "Journal rows not yet covered by stored aggregates.", s => s.AggregateLag);
        Counter(writer, shards, "aggregator_sink_received_total", "Closed entries the shard received.", s => s.Received);
        Counter(writer, shards, "aggregator_sink_journaled_total", "Entries written to the journal.", s => s.Journaled);
        Counter(writer, shards, "aggregator_sink_duplicates_total", "Entries already journaled (redelivery), skipped.", s => s.Duplicates);
        Counter(writer, shards, "aggregator_sink_dropped_total", "Entries dropped because the buffer was full.", s => s.Dropped);
        Counter(writer, shards, "aggregator_sink_write_failures_total", "Failed store writes.", s => s.WriteFailures);
        Counter(writer, shards, "aggregator_sink_aggregate_flushes_total", "Partial aggregates upsert-merged into the store.", s => s.AggregateFlushes);
        Counter(writer, shards, "aggregator_sink_batches_total", "Journal batches written.", s => s.Batches);
        Seconds(writer, shards, "aggregator_sink_batch_write_seconds_total", MetricType.Counter, "Time spent writing journal batches (retries included); divide by batches for the mean batch latency.", s => s.BatchWriteTime);
        Seconds(writer, shards, "aggregator_sink_last_batch_write_seconds", MetricType.Gauge, "How long the latest journal batch took to write.", s => s.LastBatchWrite);

        writer.Declare("aggregator_sink_breaker_state", MetricType.Gauge, "1 for the current state of the shard's store circuit breaker, 0 for the others.");
        foreach (var shard in shards)
        {
            foreach (var state in BreakerStates.Contains(shard.BreakerState) ? BreakerStates : [.. BreakerStates, shard.BreakerState])
                writer.Sample(state == shard.BreakerState ? 1 : 0, Shard(shard), new Label("state", state));
        }
    }

    private static void Seconds(ExpositionWriter writer, IReadOnlyList<SinkShardSnapshot> shards, string name, MetricType type, string help, Func<SinkShardSnapshot, TimeSpan> value)
    {
        writer.Declare(name, type, help);
        foreach (var s in shards) writer.Sample(value(s).TotalSeconds, Shard(s));
    }

    private static void Gauge(ExpositionWriter writer, IReadOnlyList<SinkShardSnapshot> shards, string name, string help, Func<SinkShardSnapshot, long> value)
    {
        writer.Declare(name, MetricType.Gauge, help);
        foreach (var s in shards) writer.Sample(value(s), Shard(s));
    }

    private static void Counter(ExpositionWriter writer, IReadOnlyList<SinkShardSnapshot> shards, string name, string help, Func<SinkShardSnapshot, long> value)
    {
        writer.Declare(name, MetricType.Counter, help);
        foreach (var s in shards) writer.Sample(value(s), Shard(s));
    }

    private static Label Shard(SinkShardSnapshot shard) => new("shard", shard.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
