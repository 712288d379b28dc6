using Aggregator.Actors.Entries;
using Aggregator.Contracts;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>
/// Random message sequences over a few ids, with virtual time passing, cut at a random point. At the cut the old pod
/// checkpoints a random subset of the ids (its cluster shard), hands it through the codec to a new pod and forgets
/// those ids; the rest of the sequence goes to whichever pod owns each id. The closed entries of both pods together
/// must be those of one pod that never stopped: the same entries, by id, each exactly once, and one for every id that
/// was opened and not discarded.
/// </summary>
public sealed class CheckpointPropertyTests(ITestOutputHelper output)
{
    private const int Ids = 4;

    /// <summary>One generated step: which entry, what, and two arguments; kind <see cref="TickKind"/> advances time one shard tick.</summary>
    public sealed record Step(int Entry, int Kind, int A, int B);

    private const int TickKind = 0;

    /// <summary>A reservoir of two observations, so restored distributions often sample on after the restore.</summary>
    private static readonly Aggregator.Actors.Entries.EntrySettings Settings = CheckpointNode.Settings(3, 2);

    public sealed record Scenario(Step[] Steps, int Cut, int Subset)
    {
        public override string ToString() => $"cut {Cut} of {Steps.Length}, subset {Convert.ToString(Subset, 2)}: {string.Join("; ", Steps.Select(Describe))}";
    }

    private static readonly Gen<Step> StepGen =
        from entry in Gen.Choose(0, Ids - 1)
        from kind in Gen.Choose(0, 25)
        from a in Gen.Choose(0, 99)
        from b in Gen.Choose(0, 99)
        select new Step(entry, kind, a, b);

    /// <summary>Most cases open every id first (with generated deadlines), so most cuts find entries open and busy.</summary>
    private static readonly Gen<Step[]> OpensGen =
        from opensFirst in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
        from args in Gen.Choose(0, 99).Two().ArrayOf(Ids)
        select opensFirst ? args.Select((ab, i) => new Step(i, 3, ab.Item1, ab.Item2)).ToArray() : [];

    private static readonly Gen<Scenario> ScenarioGen =
        from opens in OpensGen
        from generated in Gen.Choose(1, 50).SelectMany(n => StepGen.ArrayOf(n))
        let steps = opens.Concat(generated).ToArray()
        from cut in Gen.Choose(0, steps.Length)
        from subset in Gen.Choose(0, (1 << Ids) - 1)
        select new Scenario(steps, cut, subset);

    private readonly Coverage coverage = new();

    /// <summary>How much restoring the generated cases did, so a property that passes without moving anything cannot go unnoticed.</summary>
    private sealed class Coverage
    {
        public int Entries, OpenSlots, FinishedSlots, Guards, Timers, Tombstones, PassedDeadlines;

        public void Count(EntryCheckpoint checkpoint)
        {
            Entries += checkpoint.Entries.Count;
            Tombstones += checkpoint.Tombstones.Count;
            foreach (var entry in checkpoint.Entries)
            {
                OpenSlots += entry.Slots.Count(s => s.Status == SlotSnapshotStatus.Open);
                FinishedSlots += entry.Slots.Count(s => s.Status is SlotSnapshotStatus.Completed or SlotSnapshotStatus.Failed);
                Guards += entry.Guards.Count;
                Timers += entry.Record.Timers.Count(t => t.Value.StartedAt is not null);
                PassedDeadlines += entry.DeadlinePassed ? 1 : 0;
            }
        }
    }

    [Fact]
    public void Checkpoint_restore_and_replay_close_the_same_entries_as_an_uninterrupted_run()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(ScenarioGen.ToArbitrary(), scenario => Holds(scenario)));
        var c = coverage;
        output.WriteLine($"restored: {c.Entries} entries, {c.OpenSlots} open slots, {c.FinishedSlots} finished slots, {c.Guards} guards, {c.Timers} running timers, {c.PassedDeadlines} passed deadlines, {c.Tombstones} tombstones");
        // The frequent kinds must show up in every run; the rarer ones (finished slots, passed deadlines) are reported above.
        Assert.All(new[] { c.Entries, c.OpenSlots, c.Guards, c.Timers, c.Tombstones }, count => Assert.True(count > 0, "some kind of state was never restored"));
    }

    private bool Holds(Scenario scenario)
    {
        // The end completes every slot and releases every owner, so what open slots gathered shows in the closed entries.
        var epilogue = Enumerable.Range(0, Ids).SelectMany(i => new IEntryMessage[] { new CompleteSlot(Id(i), "s0"), new CompleteSlot(Id(i), "s1"), new Close(Id(i)) });
        var steps = scenario.Steps.Select(ToMessage).Concat(epilogue).ToList();
        IReadOnlyList<ClosedEntry> expected;
        using (var uninterrupted = CheckpointNode.Start("uninterrupted", Settings))
        {
            foreach (var step in steps) Apply(uninterrupted, step);
            expected = uninterrupted.Finish();
        }

        bool Moves(string id) => (scenario.Subset & (1 << int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture))) != 0;
        using var old = CheckpointNode.Start("old", Settings);
        foreach (var step in steps.Take(scenario.Cut)) Apply(old, step);
        var checkpoint = old.Region.CheckpointAsync(Moves).GetAwaiter().GetResult();
        coverage.Count(checkpoint);
        Assert.All(checkpoint.Entries, e => Assert.True(Moves(e.Id)));
        Assert.All(checkpoint.Tombstones, t => Assert.True(Moves(t.Id)));
        old.Region.ForgetAsync(Moves).GetAwaiter().GetResult();

        using var next = CheckpointNode.Start("new", Settings, old.Clock.GetUtcNow());
        var restored = next.Region.RestoreAsync(EntryCheckpointCodec.Decode(EntryCheckpointCodec.Encode(checkpoint))).GetAwaiter().GetResult();
        Assert.Equal((checkpoint.Entries.Count, 0), (restored.Entries, restored.Skipped));
        next.Know(checkpoint.Entries.Select(e => e.Id));
        foreach (var step in steps.Skip(scenario.Cut))
        {
            if (step is null)
            {
                old.Tick();
                next.Tick();
            }
            else Apply(Moves(step.EntryId) ? next : old, step);
        }

        // Closed before the cut on the old pod, or after it on whichever pod owned the id.
        var actual = old.Finish().Concat(next.Finish()).ToList();
        ClosedEntryAssert.SameById(expected, actual);
        foreach (var id in Enumerable.Range(0, Ids).Select(Id))
        {
            var firstOpen = steps.FindIndex(s => s is Open open && open.EntryId == id);
            var discardedLater = firstOpen >= 0 && steps.Skip(firstOpen).Any(s => s is Discard discard && discard.EntryId == id);
            if (firstOpen < 0) Assert.DoesNotContain(actual, e => e.Id == id);
            else if (!discardedLater) Assert.Single(actual, e => e.Id == id);
        }
        return true;
    }

    private static void Apply(CheckpointNode node, IEntryMessage? message)
    {
        if (message is null) node.Tick();
        else node.Send(message);
    }

    /// <summary>The message a step stands for; null for a tick of virtual time.</summary>
    private static IEntryMessage? ToMessage(Step step)
    {
        var id = Id(step.Entry);
        var slot = "s" + step.A % 2;
        var guard = "g" + step.A % 2;
        return step.Kind switch
        {
            TickKind or 1 or 2 => null,
            // One operation per id: inFlightAtOpen counts a process's open entries of the operation, and which
            // other ids a pod holds differs once the ids are split between two pods.
            3 or 4 => new Open(id, "op-" + id, new Dictionary<string, string> { ["a"] = (step.A % 3).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ForceFlushAfter: step.B % 3 == 0 ? TimeSpan.FromMilliseconds(100 * (1 + step.B % 5)) : null,
                MaxLifetime: step.B % 4 == 0 ? TimeSpan.FromMilliseconds(100 * (2 + step.A % 6)) : null),
            5 => new Set(id, "f" + step.A % 2, (step.B % 4) switch
            {
                0 => FieldValue.Of(step.B * 0.1, FieldUnit.Milliseconds),
                1 => FieldValue.Of("v" + step.B),
                2 => FieldValue.Of(TimeSpan.FromTicks(step.B * 1_001), FieldUnit.Seconds),
                _ => FieldValue.Of(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(2)).AddTicks(step.B)),
            }),
            6 => new Add(id, "n", step.A + 1),
            7 or 8 => new Observe(id, "d" + step.B % 2, step.A * 0.37, FieldUnit.Bytes),
            9 => new StartTimer(id, "t" + step.B % 2),
            10 => new StopTimer(id, "t" + step.B % 2),
            11 or 12 => new OpenSlot(id, slot, step.B % 3 == 0 ? SlotMode.Discard : SlotMode.Wait),
            13 => new SlotAdd(id, slot, "n", step.B + 1),
            14 => new SlotObserve(id, slot, "d", step.B * 0.5),
            15 => new SlotSet(id, slot, "f", step.B),
            16 => new CompleteSlot(id, slot),
            17 => new FailSlot(id, slot, "generated crash"),
            18 or 19 => new AcquireGuard(id, guard, Force: step.B % 3 == 0),
            20 or 21 => new ReleaseGuard(id, guard),
            22 or 23 or 24 => new Close(id),
            _ => new Discard(id),
        };
    }

    private static string Id(int index) => "e" + index;

    private static string Describe(Step step) => ToMessage(step)?.ToString() ?? "tick";
}
