using Aggregator.Actors.Kernel;
using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// Where the region tells closed entries: counts and checks them (<see cref="ClosedEntryTally"/>) and, in the latency
/// run, stamps the arrival of each against its owner's release time first.
/// </summary>
internal sealed class EntrySinkActor(ClosedEntryTally tally, ReleaseLatencies? latencies) : ActorBase
{
    protected override bool Receive(object message)
    {
        if (message is not ClosedEntry entry) return false;
        latencies?.Arrived(entry.Id);
        tally.Count(entry);
        return true;
    }
}
