using Aggregator.Actors.Inspection;
using Aggregator.Host.Inspection;
using Aggregator.Host.Pipeline;

namespace Aggregator.Host.Cluster.State;

/// <summary>
/// Writes this pod's membership row every heartbeat interval: the shards it holds, CPU, memory, actor utilization and
/// entries in flight, and when it was last seen. Other pods (and <c>/v1/cluster</c>) judge reachability from the last
/// beat; a failed write is logged and retried at the next beat, never fatal.
/// </summary>
public sealed class MemberHeartbeats(
    ClusterStateStore state,
    IShardHolding shards,
    InspectionSource inspection,
    EntryPipeline pipeline,
    ClusterMember member,
    TimeProvider clock,
    ILogger<MemberHeartbeats> logger) : BackgroundService
{
    private readonly DateTimeOffset startedAt = clock.GetUtcNow();
    private bool failing;

    /// <summary>One beat: the row as of now (also used directly by tests and at start, so a new member shows at once).</summary>
    public async Task BeatAsync(CancellationToken cancellationToken)
    {
        var node = ClusterInspection.Node(member.Node, inspection.CurrentWindow());
        var inFlight = pipeline.IsStarted ? pipeline.Entries.Statistics.Snapshot().Sum(s => s.InFlight) : 0;
        await state.HeartbeatAsync(new MemberHeartbeat(
            member.Node, member.Ordinal, member.Address, shards.HeldShards, startedAt, clock.GetUtcNow(),
            node.CpuUtilization * 100, node.WorkingSetBytes, node.ActorUtilization, inFlight), cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(member.HeartbeatInterval, clock);
        do
        {
            try
            {
                await BeatAsync(stoppingToken).ConfigureAwait(false);
                if (failing) logger.LogInformation("Heartbeat of {Node} written again", member.Node);
                failing = false;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // Logged once per outage: a database outage must not flood the log at every beat.
                if (!failing) logger.LogWarning(exception, "Heartbeat of {Node} could not be written; retrying every {Interval}", member.Node, member.HeartbeatInterval);
                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
