using Aggregator.Host.Cluster.State;
using Aggregator.Host.Configuration;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Cluster;

/// <summary>
/// Cluster mode's life cycle, after the local pipeline is up: creates the shared state tables, starts consuming the
/// shards this pod owns, and checkpoints every held shard on an interval. Stopping checkpoints every held shard one
/// last time (so the next holder loses nothing and redoes as little as possible) and then lets the shards go, before
/// the local entry region's shutdown could close their entries.
/// </summary>
internal sealed class ClusterStartup(
    ClusterStateStore state,
    ShardOwnership ownership,
    ShardEntries entries,
    ClusterMember member,
    IOptions<AggregatorOptions> options,
    ILogger<ClusterStartup> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await state.InitializeAsync(cancellationToken).ConfigureAwait(false);
        ownership.Start();
        logger.LogInformation("Cluster member {Ordinal} of {Nodes}: consuming shards {Shards} of {Total}",
            member.Ordinal, options.Value.Cluster.Nodes, string.Join(",", ownership.Shards), options.Value.Cluster.Shards);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Cluster.CheckpointIntervalSeconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            await CheckpointAllAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await CheckpointAllAsync(cancellationToken).ConfigureAwait(false);
        await ownership.DisposeAsync().ConfigureAwait(false);
    }

    private async Task CheckpointAllAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in ownership.Shards)
        {
            try
            {
                var consumer = ownership.Consumer(shard);
                await entries.CheckpointAsync(shard, tag => consumer.AckUpToAsync(tag, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // The deliveries stay unacked and the next checkpoint tries again; nothing is lost meanwhile.
                logger.LogWarning(exception, "Checkpoint of shard {Shard} failed; retrying at the next interval", shard);
            }
        }
    }
}
