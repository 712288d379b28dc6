using Aggregator.Actors.Sinks;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>Sink shards: how far the journal is behind, what was dropped or failed, and whether the store's circuit is open.</summary>
public static class SinkMetrics
{
    /// <summary>Every state Polly's circuit breaker has; each shard reports 1 for its current one and 0 for the rest.</summary>
    private static readonly string[] BreakerStates = ["Closed", "Open", "HalfOpen", "Isolated"];

    public static void Write(ExpositionWriter writer, IReadOnlyList<SinkShardSnapshot> shards)
    {
        writer.Family("aggregator_sink_journal_lag_entries", MetricType.Gauge, "Entries received by the shard and not yet journaled.", shards, Shard, s => s.JournalLag);
        writer.Family("aggregator_sink_buffered_entries", MetricType.Gauge, "Entries the shard holds in its buffer.", shards, Shard, s => s.Buffered);
        writer.Family("aggregator_sink_aggregate_lag_rows", MetricType.Gauge, "Journal rows not yet covered by stored aggregates.", shards, Shard, s => s.AggregateLag);
        writer.Family("aggregator_sink_received_total", MetricType.Counter, "Closed entries the shard received.", shards, Shard, s => s.Received);
        writer.Family("aggregator_sink_journaled_total", MetricType.Counter, "Entries written to the journal.", shards, Shard, s => s.Journaled);
        writer.Family("aggregator_sink_duplicates_total", MetricType.Counter, "Entries already journaled (redelivery), skipped.", shards, Shard, s => s.Duplicates);
        writer.Family("aggregator_sink_dropped_total", MetricType.Counter, "Entries dropped because the buffer was full.", shards, Shard, s => s.Dropped);
        writer.Family("aggregator_sink_write_failures_total", MetricType.Counter, "Failed store writes.", shards, Shard, s => s.WriteFailures);
        writer.Family("aggregator_sink_aggregate_flushes_total", MetricType.Counter, "Partial aggregates upsert-merged into the store.", shards, Shard, s => s.AggregateFlushes);
        writer.Family("aggregator_sink_batches_total", MetricType.Counter, "Journal batches written.", shards, Shard, s => s.Batches);
        writer.Family("aggregator_sink_batch_write_seconds_total", MetricType.Counter, "Time spent writing journal batches (retries included); divide by batches for the mean batch latency.", shards, Shard, s => s.BatchWriteTime.TotalSeconds);
        writer.Family("aggregator_sink_last_batch_write_seconds", MetricType.Gauge, "How long the latest journal batch took to write.", shards, Shard, s => s.LastBatchWrite.TotalSeconds);

        writer.Declare("aggregator_sink_breaker_state", MetricType.Gauge, "1 for the current state of the shard's store circuit breaker, 0 for the others.");
        foreach (var shard in shards)
        {
            foreach (var state in BreakerStates.Contains(shard.BreakerState) ? BreakerStates : [.. BreakerStates, shard.BreakerState])
                writer.Sample(state == shard.BreakerState ? 1 : 0, Shard(shard), new Label("state", state));
        }
    }


    private static Label Shard(SinkShardSnapshot shard) => new("shard", shard.Shard.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
