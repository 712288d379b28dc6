namespace Aggregator.Benchmarks.Reporting;

/// <summary>
/// Whether other processes left the machine alone while a command measured: above <see cref="Threshold"/> of the CPU
/// the figures understate what was measured, and the run says so in the same words whichever command it was.
/// </summary>
internal static class QuietVerdict
{
    /// <summary>Above this share of the CPU taken by other processes, the run is flagged as not trustworthy.</summary>
    public const double Threshold = 0.05;

    /// <param name="busiest">The largest 'other' share seen in any measurement.</param>
    /// <param name="advice">What the warning tells the reader to make of it.</param>
    public static string For(double busiest, string advice = "re-run on a quiet machine.") =>
        busiest > Threshold
            ? $"WARNING: other processes took up to {busiest:P0} of the CPU during a measurement (column 'other'); {advice}"
            : $"machine was quiet: other processes took at most {busiest:P0} of the CPU during any measurement";
}
