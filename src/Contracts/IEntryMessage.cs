using System.Text.Json.Serialization;

namespace Aggregator.Contracts;

/// <summary>
/// Every message of the entry protocol names the entry it is for, so a shard region can route it without
/// knowing its type (Akka's entity id). Producers in-process, over HTTP and over RabbitMQ send these same records.
/// </summary>
/// <remarks>
/// On the wire a message is a JSON object whose <c>"type"</c> property names the record (camelCase of its name), so
/// a batch of mixed messages reads back as the right records. Source generation honours these attributes on an
/// interface (System.Text.Json 7+); the discriminator may appear anywhere in the object.
/// </remarks>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Open), "open")]
[JsonDerivedType(typeof(Set), "set")]
[JsonDerivedType(typeof(Add), "add")]
[JsonDerivedType(typeof(Observe), "observe")]
[JsonDerivedType(typeof(StartTimer), "startTimer")]
[JsonDerivedType(typeof(StopTimer), "stopTimer")]
[JsonDerivedType(typeof(Close), "close")]
[JsonDerivedType(typeof(Discard), "discard")]
[JsonDerivedType(typeof(OpenSlot), "openSlot")]
[JsonDerivedType(typeof(SlotSet), "slotSet")]
[JsonDerivedType(typeof(SlotAdd), "slotAdd")]
[JsonDerivedType(typeof(SlotObserve), "slotObserve")]
[JsonDerivedType(typeof(CompleteSlot), "completeSlot")]
[JsonDerivedType(typeof(FailSlot), "failSlot")]
[JsonDerivedType(typeof(AcquireGuard), "acquireGuard")]
[JsonDerivedType(typeof(ReleaseGuard), "releaseGuard")]
public interface IEntryMessage
{
    string EntryId { get; }
}

/// <summary>A message addressed to one slot of an entry; the entry passes it on to the slot's child actor.</summary>
public interface ISlotMessage : IEntryMessage
{
    string Slot { get; }
}
