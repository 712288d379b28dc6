using Aggregator.Host.Inspection.Prometheus;

namespace Aggregator.Host.Tests.Inspection;

public sealed class ExpositionWriterTests
{
    [Fact]
    public void Label_values_and_help_are_escaped_and_read_back_unchanged()
    {
        const string awkward = "say \"hi\"\\now\nnext";
        var text = new ExpositionWriter()
            .Declare("things_total", MetricType.Counter, "Help with a \\ and a\nnewline.")
            .Sample(3, new Label("name", awkward))
            .ToString();

        Assert.Equal(
            "# HELP things_total Help with a \\\\ and a\\nnewline.\n# TYPE things_total counter\nthings_total{name=\"say \\\"hi\\\"\\\\now\\nnext\"} 3\n",
            text);
        var parsed = PrometheusText.Parse(text);
        Assert.Equal(3, parsed.Value("things_total", ("name", awkward)));
        Assert.Equal("Help with a \\ and a\nnewline.", parsed.Families["things_total"].Help);
    }

    [Fact]
    public void A_histogram_has_cumulative_buckets_ending_in_inf_equal_to_count()
    {
        var text = new ExpositionWriter()
            .Declare("latency_seconds", MetricType.Histogram, "Latency.")
            .Histogram(new HistogramSeries([(0.1, 2), (1, 3)], Count: 6, Sum: 4.5), new Label("op", "a"))
            .ToString();

        Assert.Contains("latency_seconds_bucket{op=\"a\",le=\"0.1\"} 2\n", text);
        Assert.Contains("latency_seconds_bucket{op=\"a\",le=\"1\"} 5\n", text);
        Assert.Contains("latency_seconds_bucket{op=\"a\",le=\"+Inf\"} 6\n", text);
        Assert.Contains("latency_seconds_sum{op=\"a\"} 4.5\n", text);
        Assert.Contains("latency_seconds_count{op=\"a\"} 6\n", text);
        PrometheusText.Parse(text);
    }

    [Fact]
    public void What_a_scraper_would_reject_is_refused_when_written()
    {
        Assert.Throws<ArgumentException>(() => new ExpositionWriter().Declare("things", MetricType.Counter, "no _total"));
        Assert.Throws<ArgumentException>(() => new ExpositionWriter().Declare("1things", MetricType.Gauge, "bad name"));
        Assert.Throws<ArgumentException>(() => new ExpositionWriter().Declare("g", MetricType.Gauge, "bad label").Sample(1, new Label("a-b", "x")));
        Assert.Throws<InvalidOperationException>(() => new ExpositionWriter().Declare("g", MetricType.Gauge, "h").Declare("g", MetricType.Gauge, "h"));
        Assert.Throws<InvalidOperationException>(() => new ExpositionWriter().Sample(1));
        Assert.Throws<InvalidOperationException>(() => new ExpositionWriter().Declare("h", MetricType.Histogram, "h").Sample(1));
    }

    [Fact]
    public void Special_values_use_the_format_s_spelling()
    {
        Assert.Equal("+Inf", ExpositionWriter.FormatValue(double.PositiveInfinity));
        Assert.Equal("-Inf", ExpositionWriter.FormatValue(double.NegativeInfinity));
        Assert.Equal("NaN", ExpositionWriter.FormatValue(double.NaN));
        Assert.Equal("0.25", ExpositionWriter.FormatValue(0.25));
        Assert.Equal("1E-09", ExpositionWriter.FormatValue(1e-9));
    }
}
