using Aggregator.Actors.Entries;
using Aggregator.Actors.Kernel;
using Aggregator.Actors.Sinks;
using Aggregator.Contracts;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// Random interleavings of messages from several contributors to a few entries, including out-of-order
/// (a slot write before its OpenSlot, a release before its acquire), late (after close), duplicate (Open again)
/// and orphan (an id never opened) messages and crashing slot children. The region must agree with
/// <see cref="EntryModel"/>: exactly one closed entry per opened, non-discarded id, with the model's reason,
/// counters, pending and failed slots, and the same late/orphan/duplicate/rejected counts; no Tell ever throws.
/// </summary>
public sealed class EntryPropertyTests
{
    private const int Ids = 4;

    /// <summary>One generated message: who sends it, to which entry (index <see cref="Ids"/> is an id never opened), what, and two arguments.</summary>
    public sealed record Step(int Contributor, int Entry, int Kind, int A, int B);

    private static readonly Gen<Step> StepGen =
        from contributor in Gen.Choose(0, 2)
        from entry in Gen.Frequency((9, Gen.Choose(0, Ids - 1)), (1, Gen.Constant(Ids)))
        from kind in Gen.Choose(0, 21)
        from a in Gen.Choose(0, 99)
        from b in Gen.Choose(0, 99)
        select new Step(contributor, entry, kind, a, b);

    [Fact]
    public void The_region_agrees_with_the_model_on_every_random_interleaving()
    {
        var scenarios = Gen.Choose(1, 60).SelectMany(n => StepGen.ListOf(n)).Select(steps => steps.ToArray()).ToArbitrary();
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(scenarios, steps => Run(steps)));
    }

    private static bool Run(Step[] steps)
    {
        var system = ActorSystem.Create("property", new ActorSystemSettings { RunCoordinatedShutdownOnExitSignals = false });
        try
        {
            var sink = CollectingSink.Start(system);
            var region = EntryRegion.Start(system, sink.Ref, new EntrySettings { Shards = 3 });
            var contributors = Enumerable.Range(0, 3).Select(i => new ContributorRef($"c{i}")).ToArray();
            var model = new EntryModel();

            // Every id is opened at some point (an Open first for half of them, so the rest see messages before their Open).
            var messages = steps.Select(ToMessage).Concat(Enumerable.Range(0, Ids).Select(i => ((IEntryMessage)new Open(Id(i), "op-" + Id(i)), 0))).ToList();
            foreach (var (message, contributor) in messages)
            {
                var slotWasOpen = message is CompleteSlot or FailSlot && IsSlotOpen(model, (ISlotMessage)message);
                var closes = model.Apply(message);
                region.Ref.Tell(message, contributors[contributor]);
                // A slot's completion or crash reaches its entry from the child, after whatever we send next; wait for
                // it, so the order the entry sees is the order the model applied.
                if (slotWasOpen) AwaitSlotFinished(region, sink, model, (ISlotMessage)message, closes);
                else if (closes) sink.WhenCount(model.ClosedCount).Wait(TimeSpan.FromSeconds(10));
            }
            region.ShutdownAsync().Wait(TimeSpan.FromSeconds(30));
            model.Shutdown();

            Verify(model, sink, region.Statistics);
            return true;
        }
        finally
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(30));
        }
    }

    private static (IEntryMessage, int) ToMessage(Step step)
    {
        var id = step.Entry == Ids ? "ghost" : Id(step.Entry);
        var slot = "s" + step.A % 3;
        var guard = "g" + step.A % 2;
        IEntryMessage message = step.Kind switch
        {
            0 or 1 => new Open(id, "op-" + id),
            2 or 3 or 4 => new Add(id, "n", step.A + 1),
            5 or 6 => new OpenSlot(id, slot, step.B % 4 == 0 ? SlotMode.Discard : SlotMode.Wait),
            7 or 8 or 9 => new SlotAdd(id, slot, "n", step.B + 1),
            10 or 11 => new CompleteSlot(id, slot),
            12 => new FailSlot(id, slot, "generated crash"),
            13 or 14 => new AcquireGuard(id, guard, Force: step.B % 3 == 0),
            15 or 16 => new ReleaseGuard(id, guard),
            17 or 18 or 19 => new Close(id),
            20 => new Discard(id),
            _ => new Set(id, "f", step.B),
        };
        return (message, step.Contributor);
    }

    private static string Id(int index) => "e" + index;

    private static bool IsSlotOpen(EntryModel model, ISlotMessage message) =>
        model.Entries.TryGetValue(message.EntryId, out var e) && e.Opened && !e.Ended && e.Slots.TryGetValue(message.Slot, out var slot) && slot.IsOpen;

    private static void AwaitSlotFinished(EntryRegion region, CollectingSink sink, EntryModel model, ISlotMessage message, bool closes)
    {
        if (closes)
        {
            Assert.True(sink.WhenCount(model.ClosedCount).Wait(TimeSpan.FromSeconds(10)), $"entry {message.EntryId} did not close after its slot {message.Slot} finished");
            return;
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var state = region.Ref.Ask<EntryState>(new GetEntryState(message.EntryId), TimeSpan.FromSeconds(10), region.System).Result;
            if (!state.Pending.Contains("slot:" + message.Slot)) return;
            Assert.True(DateTime.UtcNow < deadline, $"slot {message.Slot} of {message.EntryId} still pending");
            Thread.Yield();
        }
    }

    private static void Verify(EntryModel model, CollectingSink sink, EntryStatistics statistics)
    {
        Assert.True(sink.WhenCount(model.ClosedCount).Wait(TimeSpan.FromSeconds(10)));
        var closed = sink.Entries;
        Assert.Equal(closed.Count, closed.Select(c => c.Id).Distinct().Count());
        foreach (var e in model.Entries.Values.Where(e => e.Opened))
        {
            var emitted = closed.Where(c => c.Id == e.Id).ToList();
            if (e.Discarded)
            {
                Assert.Empty(emitted);
                continue;
            }
            var entry = Assert.Single(emitted);
            Assert.Equal(e.Reason, entry.CloseReason);
            Assert.Equal(e.Pending.Order(), entry.Pending.Order());
            Assert.Equal(e.FailedSlots.Order(), entry.FailedSlots.Order());
            Assert.Equal(e.Counters.OrderBy(c => c.Key), entry.Counters.OrderBy(c => c.Key));
            var stats = statistics.Snapshot(e.Operation)!;
            Assert.Equal((e.Id, "late", e.Late), (e.Id, "late", stats.Late));
            Assert.Equal((e.Id, "orphans", e.Orphans), (e.Id, "orphans", stats.Orphans));
            Assert.Equal((e.Id, "rejected", e.Rejected), (e.Id, "rejected", stats.Rejected));
            Assert.Equal((e.Id, "duplicates", e.DuplicateOpens), (e.Id, "duplicates", stats.DuplicateOpens));
            Assert.Equal((e.Id, "dropped", e.DroppedSlots), (e.Id, "dropped", stats.DroppedSlots));
            Assert.Equal(0, stats.InFlight);
        }
        Assert.All(closed, c => Assert.True(model.Entries[c.Id] is { Opened: true, Discarded: false }, $"{c.Id} closed but was never opened or was discarded"));
        Assert.Equal(model.UnknownOrphans, statistics.Snapshot(EntryStatistics.UnknownOperation)?.Orphans ?? 0);
    }

    /// <summary>A contributor's identity as a sender; not an actor, so the guards it takes are released only by messages.</summary>
    private sealed class ContributorRef(string name) : IActorRef
    {
        public ActorPath Path { get; } = ActorPath.Root("property").Child(name);
        public void Tell(object message, IActorRef? sender) { }
        public bool Equals(IActorRef? other) => ReferenceEquals(this, other);
    }
}
