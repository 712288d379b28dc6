using Aggregator.Benchmarks.CommandLine;
using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.Lifecycle;

/// <summary>The lifecycle command's options: producer threads, trees in flight, and the measurement plan.</summary>
internal sealed record LifecycleOptions
{
    public int Producers { get; init; } = 2;

    /// <summary>Trees in flight over all producers (each producer gets an equal share of permits).</summary>
    public int InFlight { get; init; } = 256;

    public MeasurementPlan Plan { get; init; } = new(TimeSpan.FromSeconds(1), Rounds: 5);

    public const string Usage =
        "lifecycle [--quick] [--seconds N] [--rounds N] [--producers N] [--inflight N]\n" +
        "             actors created + run + stopped per second (parent, 4 watched children, 3 messages each) vs plain objects";

    public static LifecycleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LifecycleOptions();
        var plan = new PlanOptions();
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            if (plan.TryRead(reader)) continue;
            options = reader.Name switch
            {
                "--producers" => options with { Producers = reader.PositiveInteger() },
                "--inflight" => options with { InFlight = reader.PositiveInteger() },
                _ => throw reader.Unknown(),
            };
        }
        return options with { Plan = plan.Plan(quickSeconds: 0.25) };
    }
}
