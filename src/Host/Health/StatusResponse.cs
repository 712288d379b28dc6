namespace Aggregator.Host.Health;

/// <summary>The small JSON body probes read: <c>{"status":"..."}</c>, with the reason when not ready.</summary>
public sealed record StatusResponse(string Status, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reason = null);
