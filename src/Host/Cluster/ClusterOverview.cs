using Aggregator.Actors.Inspection;
using Aggregator.Actors.Inspection.Warnings;
using Aggregator.Host.Cluster.State;
using Aggregator.Host.Configuration;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Aggregator.Host.Cluster;

/// <summary>
/// The cluster as any pod can see it, without asking the others: members and their load from the heartbeat table,
/// shard ownership from the shards each reachable member reports, and queue depths from RabbitMQ. Warnings name an
/// unreachable member and a shard no reachable member holds.
/// </summary>
public sealed class ClusterOverview(
    ClusterStateStore state,
    ShardQueues queues,
    ClusterMember member,
    IOptions<AggregatorOptions> options,
    TimeProvider clock,
    ILogger<ClusterOverview> logger) : IAsyncDisposable
{
    private readonly ShardConnection connection = new(new Uri(options.Value.Cluster.RabbitMqUri!), $"{Environment.MachineName} overview", TimeSpan.FromSeconds(5));

    public async Task<(ClusterMembersView View, IReadOnlyList<InspectionWarning> Warnings)> BuildAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var members = (await state.MembersAsync(cancellationToken).ConfigureAwait(false))
            .Select(m => new MemberView(m.Node, m.Ordinal, m.Address, m.Shards, member.IsReachable(m.LastSeen, now), m.LastSeen,
                m.CpuPercent, m.MemoryBytes, m.Utilization, m.InFlightEntries))
            .ToList();
        var depths = await DepthsAsync(cancellationToken).ConfigureAwait(false);
        var shards = Enumerable.Range(0, queues.Count).Select(shard =>
        {
            var owner = members.FirstOrDefault(m => m.Reachable && m.Shards.Contains(shard))?.Node;
            var (depth, consumers) = depths.TryGetValue(shard, out var d) ? d : ((long?)null, (long?)null);
            return new ShardOwnerView(shard, owner, depth, consumers);
        }).ToList();
        var reachable = members.Where(m => m.Reachable).ToList();
        var warnings = new List<InspectionWarning>();
        foreach (var gone in members.Where(m => !m.Reachable))
        {
            warnings.Add(new("member-unreachable", gone.Node, $"{gone.Node} has not written a heartbeat since {gone.LastSeen:O} ({ClusterMember.MissedBeatsUnreachable} beats missed)."));
        }
        foreach (var orphan in shards.Where(s => s.Owner is null))
        {
            warnings.Add(new("shard-unowned", $"shard {orphan.Shard}", $"No reachable member holds shard {orphan.Shard}; its messages wait in {queues.Name(orphan.Shard)} ({orphan.QueueDepth?.ToString() ?? "unknown"} ready)."));
        }
        var view = new ClusterMembersView(members, shards,
            reachable.Count == 0 ? 0 : reachable.Min(m => m.Shards.Count),
            reachable.Count == 0 ? 0 : reachable.Max(m => m.Shards.Count));
        return (view, warnings);
    }

    /// <summary>Ready messages and consumers per shard queue; empty when the broker cannot be asked (logged, not thrown).</summary>
    private async Task<Dictionary<int, (long?, long?)>> DepthsAsync(CancellationToken cancellationToken)
    {
        var depths = new Dictionary<int, (long?, long?)>();
        try
        {
            var open = await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var channel = await open.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var shard = 0; shard < queues.Count; shard++)
            {
                var ok = await channel.QueueDeclarePassiveAsync(queues.Name(shard), cancellationToken).ConfigureAwait(false);
                depths[shard] = (ok.MessageCount, ok.ConsumerCount);
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Queue depths unavailable: RabbitMQ did not answer");
        }
        return depths;
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();
}
