using Aggregator.Actors.Sinks.Outputs;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>JSON Lines: one wire-shaped entry per line that reads back equal, whole lines under concurrency.</summary>
public sealed class JsonLinesOutputTests
{
    [Fact]
    public void Every_line_reads_back_to_the_entry_that_was_written()
    {
        var lines = new CapturedLines();
        using var output = new JsonLinesOutput(lines.Target);
        var entries = new[]
        {
            OutputEntries.Rich(),
            OutputEntries.Make("nan", fields: new Dictionary<string, FieldValue> { ["x"] = double.NaN, ["line\nbreak"] = "a\r\nb\u2028c" }, reason: CloseReason.Expired),
            OutputEntries.Make("plain"),
        };

        output.Write(entries);

        Assert.Equal(3, lines.Lines.Count);
        for (var i = 0; i < entries.Length; i++)
            AssertSameEntry(entries[i], ContractsJson.DeserializeClosedEntry(lines.Lines[i]));
        Assert.Equal(3, output.EntriesWritten);
        Assert.Equal("jsonl:stdout", output.Name);
    }

    [Fact]
    public void An_empty_batch_writes_nothing()
    {
        var lines = new CapturedLines();
        using var output = new JsonLinesOutput(lines.Target);
        output.Write([]);
        Assert.Empty(lines.Lines);
    }

    [Fact]
    public void Concurrent_writers_sharing_one_file_produce_whole_lines_only()
    {
        using var directory = new TempDirectory();
        var settings = new RotatingFileSettings { Directory = directory.Path, MaxFileBytes = 256 * 1024, RetainedFiles = 100 };
        var output = new JsonLinesOutput(LineTarget.RotatingFile(settings));
        Parallel.For(0, 8, shard =>
        {
            for (var b = 0; b < 40; b++)
                output.Write(Enumerable.Range(0, 5).Select(i => OutputEntries.Rich($"s{shard}-b{b}-{i}")).ToArray());
        });
        output.Dispose();

        var ids = new List<string>();
        foreach (var file in Directory.GetFiles(directory.Path))
            foreach (var line in File.ReadAllLines(file))
                ids.Add(ContractsJson.DeserializeClosedEntry(line).Id);
        Assert.Equal(8 * 40 * 5, ids.Count);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.True(Directory.GetFiles(directory.Path).Length > 1, "expected the size limit to rotate");
    }

    private static void AssertSameEntry(ClosedEntry expected, ClosedEntry actual)
    {
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Operation, actual.Operation);
        Assert.Equal(expected.Dimensions, actual.Dimensions);
        Assert.Equal(expected.Fields, actual.Fields);
        Assert.Equal(expected.Counters, actual.Counters);
        Assert.Equal(expected.Distributions.Keys, actual.Distributions.Keys);
        foreach (var (name, summary) in expected.Distributions)
        {
            var other = actual.Distributions[name];
            Assert.Equal((summary.Count, summary.Sum, summary.Min, summary.Max, summary.Unit), (other.Count, other.Sum, other.Min, other.Max, other.Unit));
            Assert.Equal(summary.Quantiles, other.Quantiles);
        }
        Assert.Equal(expected.OpenedAt, actual.OpenedAt);
        Assert.Equal(expected.ClosedAt, actual.ClosedAt);
        Assert.Equal(expected.CloseReason, actual.CloseReason);
        Assert.Equal(expected.Pending, actual.Pending);
        Assert.Equal(expected.FailedSlots, actual.FailedSlots);
        Assert.Equal(expected.InFlightAtOpen, actual.InFlightAtOpen);
    }
}
