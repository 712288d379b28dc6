using System.Globalization;

namespace Aggregator.Benchmarks.Reporting;

/// <summary>
/// The machine-readable verdict of a measurement: <c>RESULT name value=v unit=u baseline=b ratio=v/b</c>, in invariant
/// culture so scripts can parse it. A zero baseline gives ratio 0 when the value is 0 too (nothing to compare, e.g.
/// zero bytes against zero bytes) and <c>inf</c> otherwise.
/// </summary>
internal sealed record ResultLine(string Name, double Value, string Unit, double Baseline)
{
    public string Ratio =>
        Baseline != 0 ? Format(Value / Baseline)
        : Value == 0 ? "0"
        : "inf";

    public override string ToString() =>
        $"RESULT {Name} value={Format(Value)} unit={Unit} baseline={Format(Baseline)} ratio={Ratio}";

    /// <summary>Whole numbers for large values (messages per second), three decimals for small ones (ratios, bytes).</summary>
    public static string Format(double value) =>
        double.IsNaN(value) ? "nan"
        : Math.Abs(value) >= 1000 ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture)
        : Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);
}
