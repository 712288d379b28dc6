namespace Aggregator.Host.Health;

/// <summary>The small JSON body probes read: <c>{"status":"..."}</c>.</summary>
public sealed record StatusResponse(string Status);
