using System.Diagnostics;
using Aggregator.Actors.Persistence.Postgres;
using Aggregator.Contracts;
using Aggregator.Host.Tests.Api;
using Aggregator.Host.Tests.Lifecycle;
using Aggregator.Host.Tests.TestServices;

namespace Aggregator.Host.Tests.ClusterMode;

/// <summary>
/// Fault (4) of the cluster issue: under steady load, scale from 3 pods to 2 and back to 3, the way a StatefulSet
/// with the Parallel policy does it (the pods stop gracefully, then start together with the new pod count and take
/// the shards over; a pod refused a shard its predecessor still holds retries until it is let go).
/// Every accepted entry is persisted exactly once with its counter, and the stored aggregates equal a recomputation
/// from the journaled entries.
/// </summary>
[Collection(ServiceOutages.Name)]
public sealed class ScaleTests
{

    [ServiceFact("AGGREGATOR_TEST_POSTGRES", "AGGREGATOR_TEST_RABBITMQ")]
    public async Task Scaling_three_to_two_and_back_under_load_loses_nothing_and_counts_nothing_twice()
    {
        using var cluster = new ClusterNode(Guid.NewGuid().ToString("N")[..10], shards: 6, nodes: 3);
        var nodes = new ServiceProcess?[3];
        try
        {
            for (var k = 0; k < 3; k++) nodes[k] = await cluster.StartAsync(k);
            // The load goes to pods 0 and 1, which stay; pod 2 only ever consumes.
            // Pods 0 and 1 while they run (requests to a stopped pod are refused and counted).
            var front = new[] { nodes[0]!.Address, nodes[1]!.Address };
            await using var load = new SteadyLoad(() => Volatile.Read(ref front), "scale");
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= 30, true)), "load to run");
            var started = Stopwatch.GetTimestamp();

            // 3 → 2: pod 2 leaves (graceful: final checkpoint, shards released); 0 and 1 restart with Nodes=2, in
            // parallel as the StatefulSet's Parallel policy does (each may wait for a shard the other still holds).
            for (var k = 2; k >= 0; k--) await StopAsync(nodes, k);
            var two = await Task.WhenAll(cluster.StartAsync(0, nodes: 2), cluster.StartAsync(1, nodes: 2));
            (nodes[0], nodes[1]) = (two[0], two[1]);
            Volatile.Write(ref front, [two[0].Address, two[1].Address]);
            var accepted = load.Accepted.Count;
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= accepted + 30, true)), "load on two pods");

            // 2 → 3: 0 and 1 restart with Nodes=3 and pod 2 comes back, all in parallel.
            for (var k = 1; k >= 0; k--) await StopAsync(nodes, k);
            var three = await Task.WhenAll(cluster.StartAsync(0, nodes: 3), cluster.StartAsync(1, nodes: 3), cluster.StartAsync(2, nodes: 3));
            (nodes[0], nodes[1], nodes[2]) = (three[0], three[1], three[2]);
            Volatile.Write(ref front, [three[0].Address, three[1].Address]);
            accepted = load.Accepted.Count;
            await Eventually.GetAsync(() => Task.FromResult((load.Accepted.Count >= accepted + 30, true)), "load on three pods");
            await load.StopAsync();

            await cluster.AssertPersistedAsync(load.Accepted.Select(a => (a.Key, (long)a.Value.Value)), "N");
            RecoveryReport.Add(null, $"scale 3→2→3: {load.Accepted.Count} entries accepted and persisted once, {load.Refused} requests refused during restarts, " +
                $"{Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s for both steps");
            await cluster.AssertAggregatesAsync("Steady");
        }
        finally
        {
            foreach (var node in nodes) if (node is not null) await node.DisposeAsync();
        }
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod, and wait for the graceful exit.</summary>
    private static async Task StopAsync(ServiceProcess?[] nodes, int k)
    {
        var node = nodes[k]!;
        node.Signal(ServiceProcess.SIGTERM);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(45)));
        await node.DisposeAsync();
        nodes[k] = null;
    }
}
