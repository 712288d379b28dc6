using System.Diagnostics;
using System.Net;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.Lifecycle;
using Aggregator.Host.Tests.TestServices;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// Fault (1) of the cluster issue, on one machine: a node is killed with SIGKILL while its entries are open and its
/// last deliveries are not yet checkpointed; a node restarted under the same ordinal takes the shards over. Every
/// entry is persisted exactly once with every message applied exactly once, and the stored aggregates equal a
/// recomputation from the journaled entries.
/// </summary>
public sealed class KillAndRestartTests
{

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
        RecoveryReport.Add(null, $"kill -9 and restart: {Entries} entries persisted once, every message applied once, " +
            $"{Stopwatch.GetElapsedTime(killed).TotalSeconds:0.0} s after the kill (restart of the process included)");
        await cluster.AssertAggregatesAsync("Killed");
    }
}
