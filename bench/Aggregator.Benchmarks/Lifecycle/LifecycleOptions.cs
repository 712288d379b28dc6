using System.Globalization;
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
        double? seconds = null;
        int? rounds = null;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int() => int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{name} needs a positive integer");
            switch (name)
            {
                case "--seconds":
                    seconds = double.TryParse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : throw new ArgumentException("--seconds needs a positive number");
                    break;
                case "--rounds": rounds = Int(); break;
                case "--quick":
                    seconds ??= 0.25;
                    rounds ??= 3;
                    break;
                case "--producers": options = options with { Producers = Int() }; break;
                case "--inflight": options = options with { InFlight = Int() }; break;
                default: throw new ArgumentException($"unknown option '{name}'");
            }
        }
        return options with { Plan = new MeasurementPlan(TimeSpan.FromSeconds(seconds ?? 1), rounds ?? 5) };
    }
}
