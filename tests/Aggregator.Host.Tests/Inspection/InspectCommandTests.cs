using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Aggregator.Host.Cli;

namespace Aggregator.Host.Tests.Inspection;

/// <summary>The <c>inspect</c> verb, run in-process against a started host and against addresses that do not answer.</summary>
public sealed class InspectCommandTests
{
    [Fact]
    public async Task Inspect_prints_the_node_regions_top_actors_and_warnings_as_tables()
    {
        await using var host = await TestAggregatorHost.StartAsync(new Dictionary<string, string?>
        {
            ["Aggregator:Inspection:NodeName"] = "cli-node",
            ["Aggregator:Sinks:Shards"] = "2",
        }, kestrel: true);
        await host.CloseEntriesAsync("GetDucks", 10);

        var (code, output, error) = await RunAsync("inspect", "--url", host.Address.ToString(), "--top", "3");

        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.Contains("Node cli-node", output);
        Assert.Contains("Actor utilization", output);
        Assert.Contains("Region entries:", output);
        Assert.Contains("Region sinks: ", output);
        Assert.Contains("in 2 shards", output);
        Assert.Contains("Top actors by busy time", output);
        Assert.Contains("Top actors by mailbox depth", output);
        Assert.Contains("aggregator://aggregator/user/", output);
        Assert.Contains("Warnings", output);
        Assert.Contains("╭", output); // a Spectre table, not plain lines
    }

    [Fact]
    public async Task Inspect_json_prints_the_cluster_view_as_served()
    {
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);

        var (code, output, _) = await RunAsync("inspect", "--url", host.Address.ToString(), "--json", "--top", "1");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(Environment.MachineName, json.RootElement.GetProperty("node").GetProperty("name").GetString());
        Assert.True(json.RootElement.GetProperty("topByBusyTime").GetArrayLength() <= 1);
    }

    [Fact]
    public async Task A_closed_port_is_one_clear_line_and_a_non_zero_exit_code()
    {
        var url = $"http://127.0.0.1:{ClosedPort()}";

        var (code, output, error) = await RunAsync("inspect", "--url", url);

        Assert.Equal(InspectCommand.Unreachable, code);
        Assert.Equal("", output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"inspect: cannot reach the Aggregator at {url}/: ", line);
        Assert.Contains("refused", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_service_that_never_answers_times_out_with_one_clear_line()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the backlog does), never answers

        var (code, _, error) = await RunAsync("inspect", "--url", $"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}", "--timeout", "0.5");

        Assert.Equal(InspectCommand.Unreachable, code);
        Assert.Equal("inspect: the Aggregator at http://127.0.0.1:" + ((IPEndPoint)silent.LocalEndpoint).Port + "/ did not answer within 0.5 s", error.Trim());
    }

    [Fact]
    public async Task A_non_success_answer_names_the_status_and_the_reason()
    {
        await using var host = await TestAggregatorHost.StartAsync(kestrel: true);

        var (code, _, error) = await RunAsync("inspect", "--url", host.Address.ToString(), "--top", "5000");

        Assert.Equal(InspectCommand.Unreachable, code);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("answered 400 Bad Request: top must be between 1 and 1000 (was 5000).", line);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_any_request()
    {
        var (code, _, error) = await RunAsync("inspect", "--url", "not a url", "--top", "0");

        Assert.NotEqual(0, code);
        Assert.Contains("--url must be an absolute http:// or https:// URL.", error);
        Assert.Contains("--top must be at least 1.", error);
    }

    [Fact]
    public void Only_the_inspect_verb_switches_the_program_to_the_cli()
    {
        Assert.True(InspectCommand.Matches(["inspect", "--url", "http://127.0.0.1:5080"]));
        Assert.False(InspectCommand.Matches([]));
        Assert.False(InspectCommand.Matches(["--urls", "http://127.0.0.1:5080"]));
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await InspectCommand.RunAsync(args, output, error, TestContext.Timeout);
        return (code, output.ToString(), error.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
