using Aggregator.Actors.Persistence.Sqlite;
using Aggregator.Host.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Tests;

/// <summary>The service runs the whole embedded pipeline out of the box: entries → sinks → SQLite in the data directory.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task An_entry_opened_in_the_service_is_journaled_into_the_sqlite_file_in_the_data_directory()
    {
        await using var host = await TestAggregatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Aggregator:GlobalDimensions:version"] = "1.2.3",
        });
        var pipeline = host.App.Services.GetRequiredService<EntryPipeline>();
        Assert.True(pipeline.IsStarted);
        Assert.Equal("sqlite", pipeline.Store.Name);
        // A single node never checkpoints, so it keeps no ended ids for checkpoints.
        Assert.Equal(TimeSpan.Zero, pipeline.Entries.Settings.CheckpointTombstoneWindow);

        using (var entry = pipeline.Entries.Open("GetDucks", entryId: "host-e1"))
            entry.Add("ducks", 3);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (await pipeline.Store.GetEntryAsync("host-e1") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the entry was not journaled in time");
            await Task.Delay(20);
        }
        var stored = (await pipeline.Store.GetEntryAsync("host-e1"))!;
        Assert.Equal(3, stored.Counters["ducks"]);
        Assert.Equal("1.2.3", stored.Dimensions["version"]);
        Assert.Equal("aggregator", stored.Dimensions["service"]);
        Assert.True(File.Exists(Path.Combine(host.DataDirectory, PipelineRegistration.SqliteFileName)));
    }

    [Fact]
    public async Task Entries_still_open_at_stop_are_closed_and_journaled_before_the_process_exits()
    {
        var host = await TestAggregatorHost.StartAsync();
        var pipeline = host.App.Services.GetRequiredService<EntryPipeline>();
        var entry = pipeline.Entries.Open("Job", entryId: "open-at-stop");
        entry.Add("steps", 2);
        var database = Path.Combine(host.DataDirectory, PipelineRegistration.SqliteFileName);
        await host.App.StopAsync(TestContext.Timeout);
        await host.App.DisposeAsync();

        await using var store = new SqliteSinkStore(database);
        await store.InitializeAsync();
        var stored = await store.GetEntryAsync("open-at-stop");
        Assert.NotNull(stored);
        Assert.Equal(Aggregator.Contracts.CloseReason.Shutdown, stored.CloseReason);
        Assert.Equal(2, stored.Counters["steps"]);
    }

    [Fact]
    public void A_bad_sink_setting_stops_the_service_at_start_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestAggregatorHost.Create(new Dictionary<string, string?>
        {
            ["Aggregator:Sinks:BatchSize"] = "0",
        }).App.Services.GetRequiredService<IOptions<Configuration.AggregatorOptions>>().Value);
        Assert.Contains("Aggregator:Sinks", error.Message);
        Assert.Contains("BatchSize", error.Message);
    }

    [Fact]
    public void Postgres_without_a_connection_string_stops_the_service_at_start()
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestAggregatorHost.Create(new Dictionary<string, string?>
        {
            ["Aggregator:Store"] = "postgres",
        }).App.Services.GetRequiredService<IOptions<Configuration.AggregatorOptions>>().Value);
        Assert.Contains("Aggregator:PostgresConnectionString", error.Message);
    }
}
