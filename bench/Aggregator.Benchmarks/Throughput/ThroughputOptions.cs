using System.Globalization;
using Aggregator.Actors.Kernel;

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
        double? seconds = null;
        int? rounds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{name} needs a positive integer");
            switch (name)
            {
                case "--shape":
                    var shape = Next();
                    options = options with { Shapes = shape == "all" ? options.Shapes : shape is "fanin" or "pingpong" or "fanout" or "drain" ? [shape] : throw new ArgumentException($"unknown shape '{shape}'") };
                    break;
                case "--seconds":
                    seconds = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : throw new ArgumentException("--seconds needs a positive number");
                    break;
                case "--rounds": rounds = Int(); break;
                case "--quick":
                    seconds ??= 0.25;
                    rounds ??= 3;
                    break;
                case "--kernel-throughput": options = options with { KernelThroughput = Int() }; break;
                case "--producers": options = options with { FanInProducers = [Int()] }; break;
                case "--pairs": options = options with { Pairs = Int() }; break;
                case "--inflight": options = options with { InFlight = Int() }; break;
                case "--actors": options = options with { FanOutActors = Int() }; break;
                case "--backlog": options = options with { DrainBacklogs = [Int()] }; break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        return options with { Plan = new MeasurementPlan(TimeSpan.FromSeconds(seconds ?? 1), rounds ?? 5) };
    }
}
