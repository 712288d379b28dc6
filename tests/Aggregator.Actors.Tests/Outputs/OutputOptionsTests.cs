using Aggregator.Actors.Sinks.Outputs;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>Configuration validation names the option; valid options build the output they describe.</summary>
public sealed class OutputOptionsTests
{
    [Fact]
    public void The_defaults_are_JSON_Lines_to_stdout_and_valid()
    {
        var options = new OutputOptions();
        Assert.Empty(options.Validate());
        using var output = EntryOutputs.Create(options, stdout: TextWriter.Null);
        Assert.IsType<JsonLinesOutput>(output);
        Assert.Equal("jsonl:stdout", output.Name);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_option_key()
    {
        var errors = new OutputOptions
        {
            Kind = OutputKind.Emf,
            Target = OutputTarget.File,
            MaxFileBytes = -1,
            RetainedFiles = 0,
            DimensionSets = [["a", "a"], Enumerable.Range(0, 31).Select(i => $"d{i}").ToList()],
        }.Validate("Outputs:2");

        Assert.Contains(errors, e => e.StartsWith("Outputs:2:Directory:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Outputs:2:MaxFileBytes:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Outputs:2:RetainedFiles:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Outputs:2:Namespace:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Outputs:2:DimensionSets[0]", StringComparison.Ordinal) && e.Contains("appears twice"));
        Assert.Contains(errors, e => e.StartsWith("Outputs:2:DimensionSets[1]", StringComparison.Ordinal) && e.Contains("31 dimensions"));
    }

    [Fact]
    public void Options_of_the_other_kind_or_target_are_refused_rather_than_ignored()
    {
        var errors = new OutputOptions { Namespace = "N", Directory = "/tmp/x" }.Validate();
        Assert.Contains(errors, e => e.StartsWith("Outputs:Directory:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Outputs:Namespace/DimensionSets/Metrics:", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_refuses_invalid_options_with_every_message()
    {
        var error = Assert.Throws<ArgumentException>(() => EntryOutputs.Create(new OutputOptions { Kind = OutputKind.Emf }));
        Assert.Contains("Outputs:Namespace", error.Message);
    }

    [Fact]
    public void An_EMF_file_output_is_built_from_options()
    {
        using var directory = new TempDirectory();
        var options = new OutputOptions
        {
            Kind = OutputKind.Emf,
            Target = OutputTarget.File,
            Directory = directory.Path,
            Namespace = "Aggregator",
            DimensionSets = [["service"]],
        };
        using (var output = EntryOutputs.Create(options))
        {
            Assert.Equal("emf:file", output.Name);
            output.Write([OutputEntries.Rich()]);
        }
        var file = Assert.Single(Directory.GetFiles(directory.Path));
        Assert.Matches(@"entries\.emf-\d{8}-0001\.json$", file);
        Assert.Empty(EmfDocumentValidator.Validate(Assert.Single(File.ReadAllLines(file))));
    }
}
