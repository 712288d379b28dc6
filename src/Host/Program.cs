using Aggregator.Host;

var app = AggregatorApp.Build(args);
await app.RunAsync();

/// <summary>The service's entry point, public so tests can name the host assembly.</summary>
public partial class Program;
