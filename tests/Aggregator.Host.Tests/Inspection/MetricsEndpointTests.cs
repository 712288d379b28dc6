namespace Aggregator.Host.Tests.Inspection;

/// <summary><c>GET /metrics</c> over real HTTP, read by a strict Prometheus text parser.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_are_valid_prometheus_text_and_count_every_closed_entry()
    {
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);
        using var client = host.CreateClient();
        await host.CloseEntriesAsync("GetDucks", 25);
        await host.CloseEntriesAsync("PutDucks", 3);

        using var response = await client.GetAsync("/metrics");

        response.EnsureSuccessStatusCode();
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var metrics = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(25, metrics.Value("aggregator_entries_closed_total", ("operation", "GetDucks"), ("reason", "Completed")));
        Assert.Equal(0, metrics.Value("aggregator_entries_closed_total", ("operation", "GetDucks"), ("reason", "Expired")));
        Assert.Equal(3, metrics.Value("aggregator_entries_closed_total", ("operation", "PutDucks"), ("reason", "Completed")));
        Assert.Equal(25, metrics.Value("aggregator_entries_opened_total", ("operation", "GetDucks")));
        Assert.Equal(0, metrics.Value("aggregator_entries_in_flight", ("operation", "GetDucks")));
        Assert.Equal(0, metrics.Value("aggregator_entries_late_messages_total", ("operation", "GetDucks")));
    }

    [Fact]
    public async Task Every_family_the_issue_names_is_exposed()
    {
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);
        using var client = host.CreateClient();
        await host.CloseEntriesAsync("GetDucks", 5);

        var metrics = PrometheusText.Parse(await client.GetStringAsync("/metrics"));

        var expected = new Dictionary<string, string>
        {
            ["aggregator_actor_messages_total"] = "counter",
            ["aggregator_actor_busy_seconds_total"] = "counter",
            ["aggregator_actor_utilization"] = "gauge",
            ["aggregator_actor_mailbox_depth"] = "gauge",
            ["aggregator_actor_mailbox_wait_seconds"] = "histogram",
            ["aggregator_actor_processing_seconds"] = "histogram",
            ["aggregator_actor_dead_letters_total"] = "counter",
            ["aggregator_actor_restarts_total"] = "counter",
            ["aggregator_entries_opened_total"] = "counter",
            ["aggregator_entries_closed_total"] = "counter",
            ["aggregator_entries_in_flight"] = "gauge",
            ["aggregator_entries_late_messages_total"] = "counter",
            ["aggregator_entries_orphan_messages_total"] = "counter",
            ["aggregator_entries_duplicate_opens_total"] = "counter",
            ["aggregator_entries_dropped_slots_total"] = "counter",
            ["aggregator_sink_journal_lag_entries"] = "gauge",
            ["aggregator_sink_buffered_entries"] = "gauge",
            ["aggregator_sink_dropped_total"] = "counter",
            ["aggregator_sink_breaker_state"] = "gauge",
            ["process_cpu_seconds_total"] = "counter",
            ["process_resident_memory_bytes"] = "gauge",
            ["dotnet_gc_collections_total"] = "counter",
            ["dotnet_gc_heap_bytes"] = "gauge",
            ["dotnet_threadpool_queue_length"] = "gauge",
            ["dotnet_jit_compiled_methods_total"] = "counter",
            ["dotnet_jit_compilation_seconds_total"] = "counter",
        };
        foreach (var (name, type) in expected)
        {
            Assert.True(metrics.Families.TryGetValue(name, out var family), $"{name} is missing");
            Assert.Equal(type, family.Type);
        }
        Assert.True(metrics.Value("aggregator_actor_messages_total", ("actor_type", "EntryShard")) > 0);
        Assert.True(metrics.Value("aggregator_actor_processing_seconds_count", ("actor_type", "SinkShard")) >= 0);
        Assert.Equal(1, metrics.Value("aggregator_sink_breaker_state", ("shard", "0"), ("state", "Closed")));
        Assert.Equal(0, metrics.Value("aggregator_sink_breaker_state", ("shard", "0"), ("state", "Open")));
        Assert.True(metrics.Value("process_cpu_seconds_total") > 0);
        Assert.True(metrics.Value("dotnet_jit_compiled_methods_total") > 0);
    }

    [Fact]
    public async Task An_operation_name_with_quotes_backslashes_and_newlines_is_escaped()
    {
        const string awkward = "Get \"ducks\" \\ pond\nrow";
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);
        using var client = host.CreateClient();
        await host.CloseEntriesAsync(awkward, 2);

        var metrics = PrometheusText.Parse(await client.GetStringAsync("/metrics"));

        Assert.Equal(2, metrics.Value("aggregator_entries_closed_total", ("operation", awkward), ("reason", "Completed")));
    }
}
