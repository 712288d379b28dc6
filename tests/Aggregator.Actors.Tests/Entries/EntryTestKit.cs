using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Contracts;
using Aggregator.Testing;
using Xunit.Abstractions;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// An entry region on virtual time whose sink is a probe, so each test sees closed entries as messages. Asking an
/// entry for its <see cref="EntryState"/> is the barrier: it answers after everything the same sender sent before.
/// </summary>
public abstract class EntryTestKit : TestKit
{
    protected EntryTestKit(ITestOutputHelper? output = null, EntrySettings? settings = null) : base(output)
    {
        Sink = CreateTestProbe();
        Region = EntryRegion.Start(Sys, Sink.Ref, settings ?? new EntrySettings { Shards = 4 });
    }

    protected TestProbe Sink { get; }
    protected EntryRegion Region { get; }

    /// <summary>Tells the region a message with the test actor as sender (so the test actor owns what it opens).</summary>
    protected void Send(IEntryMessage message) => Region.Ref.Tell(message, TestActor);

    protected void Send(IEntryMessage message, IActorRef sender) => Region.Ref.Tell(message, sender);

    /// <summary>The entry's state, after every message the test actor sent before.</summary>
    protected EntryState StateOf(string entryId)
    {
        Send(new GetEntryState(entryId));
        return ExpectMsg<EntryState>();
    }

    protected ClosedEntry ExpectClosed() => Sink.ExpectMsg<ClosedEntry>();

    protected ClosedEntry ExpectClosed(string entryId, CloseReason reason)
    {
        var closed = Sink.ExpectMsg<ClosedEntry>();
        Assert.Equal(entryId, closed.Id);
        Assert.Equal(reason, closed.CloseReason);
        return closed;
    }

    /// <summary>Nothing reached the sink: checked after a barrier, so "not yet" cannot pass for "never".</summary>
    protected void ExpectNotClosed(string entryId)
    {
        var state = StateOf(entryId);
        Assert.Equal(entryId, state.EntryId);
        Sink.ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }

    protected OperationStatsSnapshot StatsOf(string operation) =>
        Region.Statistics.Snapshot(operation) ?? throw new InvalidOperationException($"nothing counted for operation '{operation}'");

    /// <summary>Counters are written by actors after they handle a message; wait until they settle on the expected value.</summary>
    protected void AwaitStat(string operation, Func<OperationStatsSnapshot, long> counter, long expected) =>
        AwaitAssert(() => Assert.Equal(expected, counter(StatsOf(operation))));
}
