using Aggregator.Host.Tests.Api;

namespace Aggregator.Host.Tests.Inspection;

/// <summary>Ingestion outcomes and sink batch latency on /metrics, after real traffic over HTTP.</summary>
public sealed class IngestionMetricsTests
{
    [Fact]
    public async Task Accepted_rejected_and_refused_traffic_and_written_batches_are_counted()
    {
        await using var service = await ApiHost.StartAsync();
        await service.Api.PostNdjsonAsync(
            """{"op":"open","entry":"m-1","operation":"Metered"}""",
            """{"op":"add","entry":"m-1","counter":"C","delta":-1}""",
            """{"op":"close","entry":"m-1"}""");
        await service.Api.PostAsync("", "application/json");
        await service.Api.ClosedEntryAsync("m-1");

        var metrics = PrometheusText.Parse(await service.Api.Http.GetStringAsync("/metrics"));

        Assert.Equal(2, metrics.Value("aggregator_ingest_requests_total"));
        Assert.Equal(2, metrics.Value("aggregator_ingest_messages_total", ("outcome", "accepted")));
        Assert.Equal(1, metrics.Value("aggregator_ingest_messages_total", ("outcome", "rejected")));
        Assert.Equal(1, metrics.Value("aggregator_ingest_refused_requests_total", ("status", "400")));
        Assert.Equal(0, metrics.Value("aggregator_ingest_refused_requests_total", ("status", "503")));
        var shards = metrics.Families["aggregator_sink_batches_total"].Samples;
        Assert.Equal(1, shards.Sum(s => s.Value));
        Assert.True(metrics.Families["aggregator_sink_batch_write_seconds_total"].Samples.Sum(s => s.Value) > 0);
    }
}
