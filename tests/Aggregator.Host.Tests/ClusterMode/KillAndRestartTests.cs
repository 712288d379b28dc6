using System.Diagnostics;
using System.Net;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.Lifecycle;
using Aggregator.Host.Tests.TestServices;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// Fault (1) of the cluster issue, on one machine: a node is killed with SIGKILL and restarted under the same ordinal,
/// which takes its shards over. First with its entries open and its last deliveries not yet checkpointed, then under
/// steady load on three nodes. Every entry is persisted exactly once with every message applied exactly once, and the
/// stored aggregates equal a recomputation from the journaled entries.
/// </summary>
[Collection(ServiceOutages.Name)]
public sealed class KillAndRestartTests
{
    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ")]
    public async Task A_node_killed_under_load_on_three_nodes_and_restarted_loses_nothing_and_counts_nothing_twice()
    {
        using var cluster = new ClusterNode(Guid.NewGuid().ToString("N")[..10], shards: 6, nodes: 3);
        var nodes = new ServiceProcess?[3];
        try
        {
            for (var k = 0; k < 3; k++) nodes[k] = await cluster.StartAsync(k);
            // Every node takes load; requests to the killed one fail (counted) until it is back under a new address.
            IReadOnlyList<Uri> front = nodes.Select(n => n!.Address).ToArray();
            await using var load = new SteadyLoad(() => Volatile.Read(ref front), "killed");
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= 50, true)), "load to run");

            var killed = Stopwatch.GetTimestamp();
            nodes[1]!.Signal(9);
            await nodes[1]!.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await nodes[1]!.DisposeAsync();
            nodes[1] = await cluster.StartAsync(1);
            var back = Stopwatch.GetElapsedTime(killed);
            Volatile.Write(ref front, nodes.Select(n => n!.Address).ToArray());
            var accepted = load.Accepted.Count;
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= accepted + 50, true)), "load after the restart", TimeSpan.FromSeconds(60));
            await load.StopAsync();

            await cluster.AssertPersistedAsync(load.Accepted.Select(a => (a.Key, (long)a.Value.Value)), "N");
            RecoveryReport.Add(null, $"kill -9 of one of three nodes under load: {load.Accepted.Count} entries accepted and persisted once, " +
                $"{load.Refused} requests refused meanwhile; the node held its shards again {back.TotalSeconds:0.0} s after the kill, " +
                $"all persisted {Stopwatch.GetElapsedTime(killed).TotalSeconds:0.0} s after it");
            await cluster.AssertAggregatesAsync("Steady");
        }
        finally
        {
            foreach (var node in nodes) if (node is not null) await node.DisposeAsync();
        }
    }

    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ")]
    public async Task A_killed_node_loses_nothing_and_counts_nothing_twice()
    {
        using var cluster = new ClusterNode(Guid.NewGuid().ToString("N")[..10], shards: 4, nodes: 1);
        const int Entries = 30;
        var ids = Enumerable.Range(0, Entries).Select(i => $"k-{i}").ToList();

        var first = await cluster.StartAsync(ordinal: 0);
        using (var api = new ApiClient(new HttpClient { BaseAddress = first.Address }))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostNdjsonAsync(ids.SelectMany(id => new[]
            {
                $$"""{"op":"open","entry":"{{id}}","operation":"Killed"}""",
                $$"""{"op":"add","entry":"{{id}}","counter":"Steps","delta":1}""",
                $$"""{"op":"acquireGuard","entry":"{{id}}","guard":"g"}""",
                $$"""{"op":"close","entry":"{{id}}"}""",
            }).ToArray())).Status);
            // Consumed and checkpointed (every second): the entries are open on the node.
            await Eventually.GetAsync(async () => ((await api.GetAsync($"/v1/entries/{ids[^1]}")).Body.TryGetProperty("state", out _), true), "the entries to be open on the first node");
            await Task.Delay(TimeSpan.FromSeconds(2.5)); // at least one checkpoint has covered the first request
            // These may or may not be checkpointed when the node dies: either way they must count once.
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostNdjsonAsync(ids.Select(id => $$"""{"op":"add","entry":"{{id}}","counter":"Steps","delta":10}""").ToArray())).Status);
        }
        var killed = Stopwatch.GetTimestamp();
        first.Signal(9);
        await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await first.DisposeAsync();

        await using var second = await cluster.StartAsync(ordinal: 0);
        using (var api = new ApiClient(new HttpClient { BaseAddress = second.Address }))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.PostNdjsonAsync(ids.Select(id => $$"""{"op":"releaseGuard","entry":"{{id}}","guard":"g"}""").ToArray())).Status);
        }

        await cluster.AssertPersistedAsync(ids.Select(id => (id, 11L)), "Steps");
        RecoveryReport.Add(null, $"kill -9 and restart of a node holding open entries: {Entries} entries persisted once, every message applied once, " +
            $"{Stopwatch.GetElapsedTime(killed).TotalSeconds:0.0} s after the kill (restart of the process included)");
        await cluster.AssertAggregatesAsync("Killed");
    }
}
