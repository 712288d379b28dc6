using Aggregator.Actors.Kernel;
using Aggregator.Benchmarks.CommandLine;

namespace Aggregator.Benchmarks.Throughput;

/// <summary>The throughput harness's command line: which shapes, how long, and the knobs used to diagnose the kernel.</summary>
internal sealed record ThroughputOptions
{
    public IReadOnlyList<string> Shapes { get; init; } = ["fanin", "pingpong", "fanout"];
    public MeasurementPlan Plan { get; init; } = new(TimeSpan.FromSeconds(1), Rounds: 5);

    /// <summary>ActorSystemSettings.Throughput: messages per mailbox turn.</summary>
    public int KernelThroughput { get; init; } = 100;

    /// <summary>Fan-in producer counts; the first one feeds the RESULT line.</summary>
    public IReadOnlyList<int> FanInProducers { get; init; } = [Environment.ProcessorCount, 4 * Environment.ProcessorCount];

    public int Pairs { get; init; } = 2 * Environment.ProcessorCount;
    public int InFlight { get; init; } = 100;
    public int FanOutActors { get; init; } = 1000;

    /// <summary>Diagnostic drain shape: backlog sizes (one fits the kernel's largest ring, one does not).</summary>
    public IReadOnlyList<int> DrainBacklogs { get; init; } = [2_000, 1_000_000];

    public ActorSystemSettings KernelSettings => new()
    {
        Throughput = KernelThroughput,
        RunCoordinatedShutdownOnExitSignals = false,
    };

    public const string Usage =
        "throughput [--shape fanin|pingpong|fanout|all|drain] [--seconds N] [--rounds N] [--quick]\n" +
        "           [--kernel-throughput N] [--producers N] [--pairs N] [--inflight N] [--actors N] [--backlog N]";

    /// <summary>Parses the arguments after <c>throughput</c>; throws <see cref="ArgumentException"/> with the offending option.</summary>
    public static ThroughputOptions Parse(IReadOnlyList<string> args)
    {
        var options = new ThroughputOptions();
        var plan = new PlanOptions();
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            if (plan.TryRead(reader)) continue;
            options = reader.Name switch
            {
                "--shape" => options with { Shapes = Shape(reader.Value(), options.Shapes) },
                "--kernel-throughput" => options with { KernelThroughput = reader.PositiveInteger() },
                "--producers" => options with { FanInProducers = [reader.PositiveInteger()] },
                "--pairs" => options with { Pairs = reader.PositiveInteger() },
                "--inflight" => options with { InFlight = reader.PositiveInteger() },
                "--actors" => options with { FanOutActors = reader.PositiveInteger() },
                "--backlog" => options with { DrainBacklogs = [reader.PositiveInteger()] },
                _ => throw reader.Unknown(),
            };
        }
        return options with { Plan = plan.Plan(quickSeconds: 0.25) };
    }

    private static IReadOnlyList<string> Shape(string shape, IReadOnlyList<string> all) =>
        shape == "all" ? all : shape is "fanin" or "pingpong" or "fanout" or "drain" ? [shape] : throw new ArgumentException($"unknown shape '{shape}'");
}
