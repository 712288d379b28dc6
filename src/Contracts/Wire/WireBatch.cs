namespace Aggregator.Contracts.Wire;

/// <summary>
/// What a batch body held: the valid messages in their original order, and the rejected ones with their position
/// and error. The valid ones are applied even when others were rejected.
/// </summary>
public sealed class WireBatch(IReadOnlyList<IEntryMessage> messages, IReadOnlyList<WireRejection> rejected)
{
    public IReadOnlyList<IEntryMessage> Messages { get; } = messages;

    public IReadOnlyList<WireRejection> Rejected { get; } = rejected;

    /// <summary>How many messages the body held, valid or not.</summary>
    public int Count => Messages.Count + Rejected.Count;
}
