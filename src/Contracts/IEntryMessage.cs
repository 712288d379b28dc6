namespace Aggregator.Contracts;

/// <summary>
/// Every message of the entry protocol names the entry it is for, so a shard region can route it without
/// knowing its type (Akka's entity id). Producers in-process, over HTTP and over RabbitMQ send these same records.
/// </summary>
/// <remarks>
/// On the wire a message is a JSON object whose <c>"op"</c> names what it does (see
/// <see cref="Wire.WireMessageReader"/> and docs/wire.md); the records are not serializer types.
/// </remarks>
public interface IEntryMessage
{
    string EntryId { get; }
}

/// <summary>A message addressed to one slot of an entry; the entry passes it on to the slot's child actor.</summary>
public interface ISlotMessage : IEntryMessage
{
    string Slot { get; }
}
