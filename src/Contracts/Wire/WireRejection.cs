namespace Aggregator.Contracts.Wire;

/// <summary>A message of a batch that was not applied: its 0-based position in the batch and why.</summary>
public sealed record WireRejection(int Index, string Error);
