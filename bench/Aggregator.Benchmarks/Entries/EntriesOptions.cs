using Aggregator.Benchmarks.CommandLine;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Entries;

/// <summary>
/// The entries command's options. Besides the W1 defaults, the workload's shape (slots, sets per slot, adds) and the
/// tombstones can be changed, and the baseline and latency parts skipped, so the same harness attributes the cost of
/// each step of an entry (see bench/RESULTS.md, "Entries (W1)").
/// </summary>
internal sealed record EntriesOptions
{
    public int Producers { get; init; } = 2;

    /// <summary>Entries opened but not yet seen by the sink, over all producers; a producer waits while more are in flight.</summary>
    public int Window { get; init; } = 512;

    /// <summary>Null keeps <see cref="Aggregator.Actors.Entries.EntrySettings"/>'s default (4 per core, at least 8).</summary>
    public int? Shards { get; init; }

    /// <summary>Entries per measured round; null calibrates the round to <see cref="MeasurementPlan.RoundTarget"/>.</summary>
    public long? EntriesPerRound { get; init; }

    public EntryWorkload Workload { get; init; } = EntryWorkload.W1;

    /// <summary>False sets EntrySettings.TombstoneTtl to zero (a diagnostic: what remembering ended ids costs).</summary>
    public bool Tombstones { get; init; } = true;

    /// <summary>Only the kernel's throughput (a diagnostic: no baseline, no latency, no RESULT lines for W1).</summary>
    public bool KernelOnly { get; init; }

    public MeasurementPlan Plan { get; init; } = new(TimeSpan.FromSeconds(1), Rounds: 5);

    /// <summary>How long the paced latency run lasts (after a warm-up of a quarter of it).</summary>
    public TimeSpan LatencyDuration { get; init; } = TimeSpan.FromSeconds(3);

    public bool Quick { get; init; }

    public const string Usage =
        "entries [--quick] [--entries N] [--producers P] [--shards S] [--window W] [--seconds N] [--rounds N]\n" +
        "             W1 entries (open, 4 Wait slots x 2 Set + Complete, 2 Add, close): closed entries/s and bytes per entry vs a\n" +
        "             lock-based entry, and release-to-sink latency at half the maximum rate\n" +
        "             diagnostics: [--slots N] [--sets N] [--adds N] [--no-tombstones] [--kernel-only]";

    public static EntriesOptions Parse(IReadOnlyList<string> args)
    {
        var options = new EntriesOptions();
        var plan = new PlanOptions();
        var workload = EntryWorkload.W1;
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            if (plan.TryRead(reader)) continue;
            switch (reader.Name)
            {
                case "--entries": options = options with { EntriesPerRound = reader.Integer(1) }; break;
                case "--producers": options = options with { Producers = reader.Integer(1) }; break;
                case "--shards": options = options with { Shards = reader.Integer(1) }; break;
                case "--window": options = options with { Window = reader.Integer(1) }; break;
                case "--slots": workload = workload with { Slots = reader.Integer(0) }; break;
                case "--sets": workload = workload with { SetsPerSlot = reader.Integer(0) }; break;
                case "--adds": workload = workload with { Adds = reader.Integer(0) }; break;
                case "--no-tombstones": options = options with { Tombstones = false }; break;
                case "--kernel-only": options = options with { KernelOnly = true }; break;
                default: throw reader.Unknown();
            }
        }
        if (workload.SetsPerSlot > EntryWorkload.MaxSetsPerSlot) throw new ArgumentException($"--sets must be at most {EntryWorkload.MaxSetsPerSlot}");
        return options with
        {
            Quick = plan.Quick,
            Workload = workload,
            Plan = plan.Plan(quickSeconds: 0.5),
            LatencyDuration = plan.Quick ? TimeSpan.FromSeconds(1.5) : options.LatencyDuration,
        };
    }
}
