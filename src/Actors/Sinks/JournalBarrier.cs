namespace Aggregator.Actors.Sinks;

/// <summary>
/// Region → shard: answer <see cref="JournalBarrierPassed"/> once every entry this shard received before the barrier is
/// journaled (or was dropped, which is counted). Cluster mode acks a RabbitMQ delivery only after the entries it closed
/// are in the journal, so a pod killed right after the ack loses nothing.
/// </summary>
internal sealed class JournalBarrier
{
    public static readonly JournalBarrier Instance = new();

    private JournalBarrier()
    {
    }
}

/// <summary>Shard → region: everything received before the barrier is settled; <paramref name="Dropped"/> of them were dropped (buffer full).</summary>
internal sealed record JournalBarrierPassed(int Shard, long Dropped);
