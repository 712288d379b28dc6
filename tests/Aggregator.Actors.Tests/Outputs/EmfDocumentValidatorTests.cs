using Aggregator.Actors.Sinks.Outputs;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>The validator catches each rule CloudWatch enforces, so a passing output test means something.</summary>
public sealed class EmfDocumentValidatorTests
{
    private const string Valid =
        """{"_aws":{"Timestamp":1700000000000,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["svc"]],"Metrics":[{"Name":"lat","Unit":"Milliseconds","StorageResolution":60}]}]},"svc":"a","lat":[1,2.5]}""";

    [Fact]
    public void A_valid_document_passes() => Assert.Empty(EmfDocumentValidator.Validate(Valid));

    [Theory]
    [InlineData("""[1]""", "expected an object")]
    [InlineData("""{"svc":"a"}""", "$._aws: required")]
    [InlineData("""{"_aws":{"CloudWatchMetrics":[]}}""", "Timestamp")]
    [InlineData("""{"_aws":{"Timestamp":1.5,"CloudWatchMetrics":[]}}""", "Timestamp")]
    [InlineData("""{"_aws":{"Timestamp":"1","CloudWatchMetrics":[]}}""", "Timestamp")]
    [InlineData("""{"_aws":{"Timestamp":1}}""", "CloudWatchMetrics: required")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Dimensions":[],"Metrics":[]}]}}""", "Namespace")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"","Dimensions":[],"Metrics":[]}]}}""", "Namespace")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Metrics":[]}]}}""", "Dimensions: required")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":["svc"],"Metrics":[]}]}}""", "expected an array of dimension names")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["svc"]],"Metrics":[]}]}}""", "'svc' has no top-level string member")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["svc"]],"Metrics":[]}]},"svc":1}""", "'svc' has no top-level string member")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["svc"]],"Metrics":[]}]},"svc":""}""", "expected 1 to 1024")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]]}]}}""", "Metrics: required")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Unit":"Count"}]}]}}""", "Name: required")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]}}""", "'m' has no top-level member")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":"NaN"}""", "not a number")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":[]}""", "an array of 0 values")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"}]}]},"m":[1,"2"]}""", "not a number")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m","Unit":"ms"}]}]},"m":1}""", "not a CloudWatch unit")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m","StorageResolution":5}]}]},"m":1}""", "StorageResolution")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m"},{"Name":"m"}]}]},"m":1}""", "defined twice")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"m":1,"m":2}""", "appears more than once")]
    [InlineData("""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[]},"m":NaN}""", "not JSON")]
    public void Each_rule_is_enforced(string json, string expected)
    {
        var errors = EmfDocumentValidator.Validate(json);
        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void More_than_100_metrics_in_a_directive_are_refused()
    {
        var names = Enumerable.Range(0, 101).Select(i => $"m{i}").ToArray();
        var json = Document(names, [[]], names.Select(n => $"\"{n}\":1"));
        Assert.Contains(EmfDocumentValidator.Validate(json), e => e.Contains("101 metrics"));
        Assert.Empty(EmfDocumentValidator.Validate(Document(names[..100], [[]], names[..100].Select(n => $"\"{n}\":1"))));
    }

    [Fact]
    public void More_than_30_dimensions_in_a_set_or_in_a_document_are_refused()
    {
        var dims = Enumerable.Range(0, 31).Select(i => $"d{i}").ToArray();
        var members = dims.Select(d => $"\"{d}\":\"v\"").Append("\"m\":1");
        Assert.Contains(EmfDocumentValidator.Validate(Document(["m"], [dims], members)), e => e.Contains("31 dimensions"));
        Assert.Contains(EmfDocumentValidator.Validate(Document(["m"], [dims[..20], dims[20..]], members)), e => e.Contains("31 distinct dimension names"));
        Assert.Empty(EmfDocumentValidator.Validate(Document(["m"], [dims[..30], dims[..10]], members)));
    }

    [Fact]
    public void An_array_value_of_more_than_100_numbers_is_refused()
    {
        var json = Document(["m"], [[]], [$"\"m\":[{string.Join(',', Enumerable.Range(0, 101))}]"]);
        Assert.Contains(EmfDocumentValidator.Validate(json), e => e.Contains("101 values"));
    }

    [Fact]
    public void ThrowIfInvalid_lists_the_problems_and_the_document()
    {
        var error = Assert.Throws<InvalidDataException>(() => EmfDocumentValidator.ThrowIfInvalid("""{"a":1}"""));
        Assert.Contains("$._aws", error.Message);
        Assert.Contains("""{"a":1}""", error.Message);
    }

    private static string Document(string[] metrics, string[][] dimensionSets, IEnumerable<string> members) =>
        "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"N\",\"Dimensions\":["
        + string.Join(',', dimensionSets.Select(s => "[" + string.Join(',', s.Select(d => $"\"{d}\"")) + "]"))
        + "],\"Metrics\":[" + string.Join(',', metrics.Select(m => $"{{\"Name\":\"{m}\",\"Unit\":\"Count\"}}")) + "]}]},"
        + string.Join(',', members) + "}";
}
