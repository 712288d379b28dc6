using Aggregator.Benchmarks.Throughput;

namespace Aggregator.Benchmarks.CommandLine;

/// <summary>
/// <c>--seconds</c>, <c>--rounds</c> and <c>--quick</c>: how long a command measured by a <see cref="MeasurementPlan"/>
/// runs, read the same way by each of them so the same flags mean the same plan. Explicit values win over --quick.
/// </summary>
internal sealed class PlanOptions
{
    private double? seconds;
    private int? rounds;

    public bool Quick { get; private set; }

    /// <summary>Reads the current option if it is one of the plan's; false leaves it to the command.</summary>
    public bool TryRead(OptionReader reader)
    {
        switch (reader.Name)
        {
            case "--seconds": seconds = reader.PositiveNumber(); return true;
            case "--rounds": rounds = reader.PositiveInteger(); return true;
            case "--quick": Quick = true; return true;
            default: return false;
        }
    }

    /// <summary>1 s rounds, 5 of them; with --quick, 3 rounds of <paramref name="quickSeconds"/>.</summary>
    public MeasurementPlan Plan(double quickSeconds) =>
        new(TimeSpan.FromSeconds(seconds ?? (Quick ? quickSeconds : 1)), rounds ?? (Quick ? 3 : 5));
}
