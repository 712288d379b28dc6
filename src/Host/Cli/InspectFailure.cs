namespace Aggregator.Host.Cli;

/// <summary>Why <c>inspect</c> got no cluster view, in one line an operator can act on (unreachable, timed out, refused).</summary>
public sealed class InspectFailure(string message, Exception? inner = null) : Exception(message, inner);
