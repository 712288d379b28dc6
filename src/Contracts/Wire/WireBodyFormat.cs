namespace Aggregator.Contracts.Wire;

/// <summary>How a batch body lays out its messages.</summary>
public enum WireBodyFormat
{
    /// <summary>One JSON array of message objects (<c>application/json</c>): a syntax error anywhere spoils the whole body.</summary>
    JsonArray,

    /// <summary>One message object per line (<c>application/x-ndjson</c>): a line that is not JSON costs only that line.</summary>
    NdJson,
}
