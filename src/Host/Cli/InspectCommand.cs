using System.CommandLine;
using Aggregator.Host.Inspection;
using Spectre.Console;

namespace Aggregator.Host.Cli;

/// <summary>
/// <c>inspect</c>, the operator's view of a running service from the same program: node, regions and shards, top
/// actors and warnings as tables (or the raw JSON). Exit codes: 0 shown, 1 bad arguments, 2 no answer from the service.
/// </summary>
public static class InspectCommand
{
    public const string Verb = "inspect";
    public const int Unreachable = 2;

    /// <summary>True when the program was started as <c>inspect ...</c> rather than as the service.</summary>
    public static bool Matches(IReadOnlyList<string> args) => args.Count > 0 && args[0] == Verb;

    /// <summary>Runs the verb (<paramref name="args"/> include <c>inspect</c>) writing to the given writers; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("Aggregator: the metrics aggregation service and its operator tools.") { Build(output, error) };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    private static Command Build(TextWriter output, TextWriter error)
    {
        var url = new Option<string>("--url") { Description = "Base URL of the running service.", DefaultValueFactory = _ => AggregatorApp.DefaultUrl };
        var top = new Option<int>("--top") { Description = "Actors per top list.", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print the /v1/cluster JSON instead of tables." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait for the service.", DefaultValueFactory = _ => 5 };
        top.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError("--top must be at least 1.");
        });
        timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is not (> 0 and <= 3600)) result.AddError("--timeout must be between 0 and 3600 seconds.");
        });
        url.Validators.Add(result =>
        {
            if (ServiceUrl(result.GetValueOrDefault<string>()) is null) result.AddError("--url must be an absolute http:// or https:// URL.");
        });

        var command = new Command(Verb, "Show a running service's node, shard regions, top actors and warnings.") { url, top, json, timeout };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = new ClusterClient(ServiceUrl(parsed.GetValue(url))!, TimeSpan.FromSeconds(parsed.GetValue(timeout)));
            try
            {
                var (view, text) = await client.FetchAsync(parsed.GetValue(top), cancellationToken);
                if (parsed.GetValue(json))
                    await output.WriteLineAsync(text);
                else
                    ClusterTables.Render(ConsoleOver(output), view);
                return 0;
            }
            catch (InspectFailure failure)
            {
                await error.WriteLineAsync($"inspect: {failure.Message}");
                return Unreachable;
            }
        });
        return command;
    }

    /// <summary>The URL with a trailing slash, so relative paths resolve under any base path it has.</summary>
    private static Uri? ServiceUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? new Uri(uri.AbsoluteUri.EndsWith('/') ? uri.AbsoluteUri : uri.AbsoluteUri + "/")
            : null;

    /// <summary>A Spectre console over <paramref name="output"/>; plain text and a wide page when it is not a terminal.</summary>
    private static IAnsiConsole ConsoleOver(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal) console.Profile.Width = 160;
        return console;
    }
}
