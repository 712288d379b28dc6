using System.Globalization;
using System.Text;

namespace Aggregator.Host.Inspection.Prometheus;

/// <summary>
/// Writes the Prometheus text exposition format, version 0.0.4: each family declared once with its HELP and TYPE
/// lines, then its samples; names checked, label values and help text escaped. Refuses what a scraper would reject
/// (a sample outside the family being written, a family declared twice, a counter not ending in <c>_total</c>).
/// </summary>
public sealed class ExpositionWriter
{
    /// <summary>The Content-Type of a scrape answer.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder text = new();
    private readonly HashSet<string> declared = new(StringComparer.Ordinal);
    private string? family;
    private MetricType familyType;

    /// <summary>Starts a family: its HELP and TYPE lines. Samples written next must belong to it.</summary>
    public ExpositionWriter Declare(string name, MetricType type, string help)
    {
        CheckMetricName(name);
        if (type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal))
            throw new ArgumentException($"Counter '{name}' must end in _total.", nameof(name));
        if (!declared.Add(name)) throw new InvalidOperationException($"Metric family '{name}' is declared twice.");
        family = name;
        familyType = type;
        text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(help)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(TypeName(type)).Append('\n');
        return this;
    }

    /// <summary>A whole counter or gauge family: its declaration, then one sample per item, labelled by <paramref name="label"/>.</summary>
    public ExpositionWriter Family<T>(string name, MetricType type, string help, IEnumerable<T> items, Func<T, Label> label, Func<T, double> value)
    {
        Declare(name, type, help);
        foreach (var item in items) Sample(value(item), label(item));
        return this;
    }

    /// <summary>One sample of the current counter or gauge family.</summary>
    public ExpositionWriter Sample(double value, params ReadOnlySpan<Label> labels)
    {
        if (family is null || familyType == MetricType.Histogram)
            throw new InvalidOperationException("Declare a counter or gauge family before writing its samples.");
        return Line(family, labels, default, value);
    }

    /// <summary>
    /// One histogram series: a <c>_bucket</c> line per upper bound (counts cumulative), the <c>+Inf</c> bucket
    /// equal to <c>_count</c>, and <c>_sum</c>.
    /// </summary>
    public ExpositionWriter Histogram(HistogramSeries series, params ReadOnlySpan<Label> labels)
    {
        if (family is null || familyType != MetricType.Histogram)
            throw new InvalidOperationException("Declare a histogram family before writing its series.");
        long cumulative = 0;
        foreach (var (upperBound, count) in series.Buckets)
        {
            cumulative += count;
            Line(family + "_bucket", labels, new Label("le", FormatValue(upperBound)), cumulative);
        }
        Line(family + "_bucket", labels, new Label("le", "+Inf"), series.Count);
        Line(family + "_sum", labels, default, series.Sum);
        Line(family + "_count", labels, default, series.Count);
        return this;
    }

    public override string ToString() => text.ToString();

    private ExpositionWriter Line(string name, ReadOnlySpan<Label> labels, Label extra, double value)
    {
        text.Append(name);
        if (labels.Length > 0 || extra.Name is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var label in labels) AppendLabel(label, ref first);
            if (extra.Name is not null) AppendLabel(extra, ref first);
            text.Append('}');
        }
        text.Append(' ').Append(FormatValue(value)).Append('\n');
        return this;
    }

    private void AppendLabel(Label label, ref bool first)
    {
        CheckLabelName(label.Name);
        if (!first) text.Append(',');
        first = false;
        text.Append(label.Name).Append("=\"");
        foreach (var c in label.Value)
        {
            switch (c)
            {
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                case '\n': text.Append("\\n"); break;
                default: text.Append(c); break;
            }
        }
        text.Append('"');
    }

    /// <summary>Go's ParseFloat reads these: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    private static void CheckMetricName(string name)
    {
        if (string.IsNullOrEmpty(name) || !IsNameStart(name[0], colon: true) || !name.All(c => IsNameStart(c, colon: true) || char.IsAsciiDigit(c)))
            throw new ArgumentException($"'{name}' is not a valid metric name.", nameof(name));
    }

    private static void CheckLabelName(string name)
    {
        if (string.IsNullOrEmpty(name) || !IsNameStart(name[0], colon: false) || !name.All(c => IsNameStart(c, colon: false) || char.IsAsciiDigit(c))
            || name.StartsWith("__", StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is not a valid label name.", nameof(name));
    }

    private static bool IsNameStart(char c, bool colon) => char.IsAsciiLetter(c) || c == '_' || (colon && c == ':');
}

/// <summary>The metric types this service exposes.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One label of a sample: a name and its (unescaped) value.</summary>
public readonly record struct Label(string Name, string Value);

/// <summary>A histogram ready to expose: per-bucket (not cumulative) counts with their upper bounds, ascending, plus count and sum.</summary>
public sealed record HistogramSeries(IReadOnlyList<(double UpperBound, long Count)> Buckets, long Count, double Sum);
