using System.Net;
using System.Net.Http.Json;
using Aggregator.Actors.Inspection;
using Aggregator.Host.Inspection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Tests.Inspection;

/// <summary><c>GET /v1/cluster</c> over real HTTP: the node, the regions with their shards and entities, top actors, warnings.</summary>
public sealed class ClusterEndpointTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Aggregator:Inspection:NodeName"] = "node-under-test",
        ["Aggregator:Sinks:Shards"] = "3",
    };

    [Fact]
    public async Task The_view_shows_the_node_its_regions_and_the_entries_still_open()
    {
        await using var host = await TestAggregatorHost.StartAsync(Settings, kestrel: true);
        using var client = host.CreateClient();
        await host.CloseEntriesAsync("GetDucks", 10);
        var open = Enumerable.Range(0, 4).Select(i => host.Entries().Open("LongJob", entryId: $"open-{i}")).ToList();
        await WaitForAsync(async () => (await ViewAsync(client)).Regions[0].EntityCount == 4);

        var view = await ViewAsync(client);

        Assert.Equal("node-under-test", view.Node.Name);
        Assert.Equal(Environment.ProcessorCount, view.Node.Processors);
        Assert.True(view.Node.UptimeSeconds > 0);
        Assert.True(view.Node.WorkingSetBytes > 0);
        Assert.True(view.Node.LiveActors > 0);
        Assert.InRange(view.Node.CpuUtilization, 0, 1);
        Assert.Equal(["entries", "sinks"], view.Regions.Select(r => r.TypeName));
        var entries = view.Regions[0];
        Assert.Equal(host.Entries().Settings.Shards, entries.Shards.Count);
        Assert.Equal(4, entries.EntityCount);
        Assert.Equal(4, entries.Shards.Sum(s => s.Entities));
        Assert.All(entries.Shards, s => Assert.NotNull(s.Tombstones));
        var sinks = view.Regions[1];
        Assert.Equal([0, 1, 2], sinks.Shards.Select(s => s.Shard));
        Assert.All(sinks.Shards, s => Assert.Equal("Closed", s.Breaker));
        Assert.NotEmpty(view.TopByBusyTime);
        Assert.All(view.TopByBusyTime, a => Assert.True(a.BusySeconds > 0));
        Assert.Equal(view.TopByBusyTime.OrderByDescending(a => a.BusySeconds).Select(a => a.Path), view.TopByBusyTime.Select(a => a.Path));
        Assert.DoesNotContain(view.Warnings, w => w.Kind is "stuck-actor" or "hot-actor");

        foreach (var entry in open) entry.Dispose();
        await WaitForAsync(async () => (await ViewAsync(client)).Regions[0].EntityCount == 0);
    }

    [Fact]
    public async Task Top_limits_each_list_and_out_of_range_is_a_bad_request()
    {
        await using var host = await TestAggregatorHost.StartAsync(Settings, kestrel: true);
        using var client = host.CreateClient();
        await host.CloseEntriesAsync("GetDucks", 20);

        var view = await ViewAsync(client, "?top=2");
        using var zero = await client.GetAsync("/v1/cluster?top=0");
        using var tooMany = await client.GetAsync("/v1/cluster?top=100000");

        Assert.InRange(view.TopByBusyTime.Count, 1, 2);
        Assert.InRange(view.TopByMailboxDepth.Count, 0, 2);
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Contains("top must be between 1 and 1000", await tooMany.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_window_is_recent_once_the_sampler_has_history()
    {
        await using var host = await TestAggregatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Aggregator:Inspection:SampleIntervalSeconds"] = "0.1",
            ["Aggregator:Inspection:WindowSeconds"] = "0.5",
        }, kestrel: true);
        using var client = host.CreateClient();
        await Task.Delay(1500); // the sampler's cadence itself is what is under test here

        var view = await ViewAsync(client);

        Assert.InRange(view.Node.WindowSeconds, 0.4, 1.2);
        Assert.True(view.Node.UptimeSeconds > view.Node.WindowSeconds);
    }

    [Fact]
    public async Task Dead_letters_after_the_sampler_s_last_look_are_a_warning()
    {
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);
        using var client = host.CreateClient();
        var history = host.App.Services.GetRequiredService<SampleHistory>();
        await WaitForAsync(() => Task.FromResult(history.Count > 0));
        var system = host.App.Services.GetRequiredService<Aggregator.Actors.Kernel.ActorSystem>();

        for (var i = 0; i < 3; i++) system.DeadLetters.Tell($"nobody-{i}", null);
        var view = await ViewAsync(client);

        var warning = Assert.Single(view.Warnings, w => w.Kind == "dead-letters");
        Assert.Contains("3 dead letters in the last", warning.Message);
    }

    [Fact]
    public void A_bad_inspection_setting_stops_the_service_at_start_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => TestAggregatorHost.Create(new Dictionary<string, string?>
        {
            ["Aggregator:Inspection:HotUtilizationPercent"] = "150",
        }).App.Services.GetRequiredService<IOptions<InspectionOptions>>().Value);

        Assert.Contains("Aggregator:Inspection", error.Message);
        Assert.Contains("HotUtilization", error.Message);
    }

    private static async Task<ClusterView> ViewAsync(HttpClient client, string query = "") =>
        (await client.GetFromJsonAsync<ClusterView>("/v1/cluster" + query, InspectionJson.Options))!;

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
