using System.Globalization;
using System.Text;

namespace Aggregator.Host.Tests.Inspection;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4, for tests: it fails on anything a scraper would reject or that
/// makes series ambiguous. Every sample belongs to a family declared (HELP and TYPE) before it; TYPE is a known type;
/// counters end in _total; no series appears twice; each histogram series has cumulative buckets ending in +Inf equal
/// to its _count, and a _sum.
/// </summary>
internal sealed class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    private readonly Dictionary<string, Family> families = new(StringComparer.Ordinal);

    private PrometheusText() { }

    public IReadOnlyDictionary<string, Family> Families => families;

    /// <summary>The value of the one series of <paramref name="name"/> with exactly these labels, or null.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var key = SeriesKey(name, labels.ToDictionary(l => l.Name, l => l.Value));
        foreach (var family in families.Values)
            foreach (var sample in family.Samples)
                if (SeriesKey(sample.Name, sample.Labels) == key) return sample.Value;
        return null;
    }

    public static PrometheusText Parse(string text)
    {
        var parsed = new PrometheusText();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Family? current = null;
        var lines = text.Split('\n');
        Assert.True(text.EndsWith('\n'), "the exposition must end with a newline");
        for (var i = 0; i < lines.Length - 1; i++)
        {
            var line = lines[i];
            var where = $"line {i + 1}: {line}";
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                var rest = line["# HELP ".Length..];
                var name = rest[..rest.IndexOf(' ')];
                Assert.False(parsed.families.ContainsKey(name), $"family declared twice, {where}");
                current = new Family(name, Unescape(rest[(name.Length + 1)..], help: true));
                parsed.families.Add(name, current);
            }
            else if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(parts.Length == 4, where);
                Assert.True(current is not null && current.Name == parts[2], $"TYPE without its HELP just before, {where}");
                Assert.Null(current.Type);
                Assert.Contains(parts[3], Types);
                if (parts[3] == "counter") Assert.EndsWith("_total", parts[2]);
                current.Type = parts[3];
            }
            else if (line.StartsWith('#') || line.Length == 0)
            {
                Assert.Fail($"unexpected comment or blank line, {where}");
            }
            else
            {
                var sample = ParseSample(line, where);
                Assert.True(current?.Type is not null, $"sample before any declared family, {where}");
                Assert.True(BelongsTo(sample.Name, current), $"sample outside its family {current.Name}, {where}");
                Assert.True(seen.Add(SeriesKey(sample.Name, sample.Labels)), $"duplicate series, {where}");
                current.Samples.Add(sample);
            }
        }
        foreach (var family in parsed.families.Values)
        {
            Assert.NotNull(family.Type);
            if (family.Type == "histogram") CheckHistogram(family);
        }
        return parsed;
    }

    private static bool BelongsTo(string sampleName, Family family) => family.Type == "histogram"
        ? sampleName == family.Name + "_bucket" || sampleName == family.Name + "_sum" || sampleName == family.Name + "_count"
        : sampleName == family.Name;

    private static void CheckHistogram(Family family)
    {
        foreach (var series in family.Samples.GroupBy(s => SeriesKey("", s.Labels.Where(l => l.Key != "le").ToDictionary())))
        {
            var buckets = series.Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(buckets);
            double previousBound = double.NegativeInfinity, previousCount = 0;
            foreach (var bucket in buckets)
            {
                var bound = ParseValue(bucket.Labels["le"]);
                Assert.True(bound > previousBound, $"{family.Name}: bucket bounds must ascend");
                Assert.True(bucket.Value >= previousCount, $"{family.Name}: bucket counts must be cumulative");
                previousBound = bound;
                previousCount = bucket.Value;
            }
            Assert.Equal(double.PositiveInfinity, previousBound);
            var count = Assert.Single(series, s => s.Name == family.Name + "_count");
            Assert.Equal(count.Value, previousCount);
            Assert.Single(series, s => s.Name == family.Name + "_sum");
        }
    }

    private static Sample ParseSample(string line, string where)
    {
        var nameEnd = 0;
        while (nameEnd < line.Length && (char.IsAsciiLetterOrDigit(line[nameEnd]) || line[nameEnd] is '_' or ':')) nameEnd++;
        var name = line[..nameEnd];
        Assert.True(name.Length > 0 && !char.IsAsciiDigit(name[0]), $"bad metric name, {where}");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var position = nameEnd;
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var eq = line.IndexOf('=', position);
                var label = line[position..eq];
                Assert.Matches("^[a-zA-Z_][a-zA-Z0-9_]*$", label);
                Assert.True(line[eq + 1] == '"', $"label value must be quoted, {where}");
                var value = new StringBuilder();
                var j = eq + 2;
                for (; line[j] != '"'; j++)
                {
                    if (line[j] == '\\')
                    {
                        j++;
                        value.Append(line[j] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"bad escape \\{line[j]}, {where}"),
                        });
                    }
                    else
                    {
                        value.Append(line[j]);
                    }
                }
                Assert.True(labels.TryAdd(label, value.ToString()), $"label repeated, {where}");
                position = j + 1;
                if (line[position] == ',') position++;
            }
            position++;
        }
        Assert.True(position < line.Length && line[position] == ' ', $"expected one space before the value, {where}");
        var valueText = line[(position + 1)..];
        Assert.DoesNotContain(' ', valueText); // no timestamps from us
        return new Sample(name, labels, ParseValue(valueText));
    }

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static string Unescape(string text, bool help) =>
        help ? text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : text;

    private static string SeriesKey(string name, IReadOnlyDictionary<string, string> labels) =>
        name + "{" + string.Join(",", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value.Length}:{l.Value}")) + "}";

    public sealed class Family(string name, string help)
    {
        public string Name { get; } = name;
        public string Help { get; } = help;
        public string? Type { get; set; }
        public List<Sample> Samples { get; } = [];
    }

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);
}
