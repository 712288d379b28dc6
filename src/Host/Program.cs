using Aggregator.Host;
using Aggregator.Host.Cli;

if (InspectCommand.Matches(args))
{
    Environment.ExitCode = await InspectCommand.RunAsync(args, Console.Out, Console.Error);
    return;
}

var app = AggregatorApp.Build(args);
await app.RunAsync();

/// <summary>The service's entry point, public so tests can name the host assembly.</summary>
public partial class Program;
