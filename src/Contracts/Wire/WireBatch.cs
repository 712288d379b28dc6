namespace Aggregator.Contracts.Wire;

/// <summary>
/// What a batch body held: the valid messages in their original order, and the rejected ones with their position
/// and error. The valid ones are applied even when others were rejected.
/// </summary>
public sealed class WireBatch(IReadOnlyList<IEntryMessage> messages, IReadOnlyList<WireRejection> rejected, IReadOnlyList<Range>? sources = null)
{
    public IReadOnlyList<IEntryMessage> Messages { get; } = messages;

    public IReadOnlyList<WireRejection> Rejected { get; } = rejected;

    /// <summary>
    /// Where each of <see cref="Messages"/> lies in the body it was read from (one range per message, same order), so
    /// a forwarder can pass a message's bytes on instead of writing it again; empty when not known.
    /// </summary>
    public IReadOnlyList<Range> Sources { get; } = sources ?? [];

    /// <summary>How many messages the body held, valid or not.</summary>
    public int Count => Messages.Count + Rejected.Count;
}
