using System.Text.Json;
using Aggregator.Actors.Sinks.Outputs;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>
/// Seeded random entries (up to 45 dimensions, 300 values, odd names, non-finite numbers) against random dimension
/// sets: every document is valid, and every publishable value appears exactly once under each dimension group.
/// </summary>
public sealed class EmfRandomEntryTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_document_of_random_entries_is_valid_and_no_value_is_lost_or_doubled(int seed)
    {
        var random = new Random(seed);
        var names = Enumerable.Range(0, 45).Select(i => $"dim{i}").ToArray();
        var sets = Enumerable.Range(0, random.Next(0, 6))
            .Select(_ => (IReadOnlyList<string>)names.OrderBy(_ => random.Next()).Take(random.Next(1, 31)).ToArray())
            .Append(["Operation"])
            .ToArray();
        var lines = new CapturedLines();
        using var output = new EmfOutput(new EmfSettings { Namespace = "Random", DimensionSets = sets }, lines.Target);

        for (var e = 0; e < 60; e++)
        {
            var entry = RandomEntry(random, names, $"e{e}");
            var before = lines.Lines.Count;
            output.Write([entry]);
            var documents = lines.Lines.Skip(before).ToList();

            var published = new List<string>();
            var groups = new HashSet<string>();
            foreach (var line in documents)
            {
                Assert.Empty(EmfDocumentValidator.Validate(line));
                var root = JsonDocument.Parse(line).RootElement;
                Assert.Equal(entry.Id, root.GetProperty("EntryId").GetString());
                var directive = root.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
                groups.Add(directive.GetProperty("Dimensions").GetRawText());
                published.AddRange(directive.GetProperty("Metrics").EnumerateArray().Select(m => m.GetProperty("Name").GetString()!));
            }
            var expected = Publishable(entry);
            Assert.Equal(expected.Count * groups.Count, published.Count);
            Assert.All(published.CountBy(n => n), pair => Assert.Equal(groups.Count, pair.Value));
            Assert.Equal(expected.Order(StringComparer.Ordinal), published.Distinct().Order(StringComparer.Ordinal));
        }
    }

    private static ClosedEntry RandomEntry(Random random, string[] names, string id)
    {
        var dimensions = names.Where(_ => random.Next(4) > 0).ToDictionary(n => n, n => $"v{random.Next(3)}");
        var fields = new Dictionary<string, FieldValue>();
        for (var i = random.Next(0, 300); i > 0; i--)
        {
            var name = random.Next(20) switch
            {
                0 => "",
                1 => new string('n', 256),
                2 => names[random.Next(names.Length)], // may clash with a dimension
                _ => $"f{random.Next(400)}",
            };
            fields[name] = random.Next(12) switch
            {
                0 => double.NaN,
                1 => double.PositiveInfinity,
                2 => "text",
                3 => FieldValue.Of(TimeSpan.FromTicks(random.Next(1, 1_000_000))),
                _ => FieldValue.Of(random.NextDouble() * 1e6, (FieldUnit)random.Next(7)),
            };
        }
        var counters = Enumerable.Range(0, random.Next(0, 20)).ToDictionary(i => $"c{i}", _ => (long)random.Next());
        var distributions = Enumerable.Range(0, random.Next(0, 4)).ToDictionary(
            i => $"h{i}",
            _ => new DistributionSummary(3, 6, 1, 3, FieldUnit.Milliseconds, [new(0.5, 2), new(0.9, 3), new(0.99, 3)]));
        return OutputEntries.Make(id, dimensions: dimensions, fields: fields, counters: counters, distributions: distributions);
    }

    /// <summary>The rule from the outside: valid, finite, and the name not already a member.</summary>
    private static HashSet<string> Publishable(ClosedEntry entry)
    {
        var taken = new HashSet<string>(["_aws", "EntryId", "Operation", "CloseReason", .. entry.Dimensions.Keys], StringComparer.Ordinal);
        var published = new HashSet<string>(StringComparer.Ordinal);
        void Add(string name, double value)
        {
            if (name.Length is > 0 and <= 255 && double.IsFinite(value) && taken.Add(name)) published.Add(name);
        }
        Add("Duration", 1);
        foreach (var (name, value) in entry.Fields)
            if (value.Kind is FieldKind.Number or FieldKind.Duration) Add(name, value.Kind == FieldKind.Number ? value.Number : 1);
        foreach (var name in entry.Counters.Keys) Add(name, 1);
        foreach (var name in entry.Distributions.Keys)
            foreach (var statistic in new[] { "count", "sum", "min", "max", "p50", "p90", "p99" }) Add($"{name}.{statistic}", 1);
        return published;
    }
}
