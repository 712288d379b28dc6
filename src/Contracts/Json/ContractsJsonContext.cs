using System.Text.Json.Serialization;

namespace Aggregator.Contracts.Json;

/// <summary>
/// Compile-time JSON metadata for the entry protocol, so remote producers (HTTP batches, RabbitMQ) are read
/// without reflection and the wire format is fixed by these options rather than by whoever configures a serializer:
/// camelCase names, enums as camelCase strings (declared on the enums), nulls left out, non-finite doubles as
/// "NaN"/"Infinity", constructor parameters without a default required and non-nullable ones refusing null,
/// the "type" discriminator accepted anywhere in a message object, duplicate properties rejected.
/// Dictionary keys (field, counter, dimension names) are kept verbatim.
/// Use <see cref="ContractsJson.Options"/> rather than <c>Default.Options</c>: it adds the checks attributes cannot express.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    AllowOutOfOrderMetadataProperties = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ClosedEntry))]
[JsonSerializable(typeof(IEntryMessage))]
[JsonSerializable(typeof(IEntryMessage[]))]
[JsonSerializable(typeof(List<IEntryMessage>))]
[JsonSerializable(typeof(IReadOnlyList<IEntryMessage>))]
[JsonSerializable(typeof(Open))]
[JsonSerializable(typeof(Set))]
[JsonSerializable(typeof(Add))]
[JsonSerializable(typeof(Observe))]
[JsonSerializable(typeof(StartTimer))]
[JsonSerializable(typeof(StopTimer))]
[JsonSerializable(typeof(Close))]
[JsonSerializable(typeof(Discard))]
[JsonSerializable(typeof(OpenSlot))]
[JsonSerializable(typeof(SlotSet))]
[JsonSerializable(typeof(SlotAdd))]
[JsonSerializable(typeof(SlotObserve))]
[JsonSerializable(typeof(CompleteSlot))]
[JsonSerializable(typeof(FailSlot))]
[JsonSerializable(typeof(AcquireGuard))]
[JsonSerializable(typeof(ReleaseGuard))]
[JsonSerializable(typeof(FieldValue))]
[JsonSerializable(typeof(FieldUnit))]
[JsonSerializable(typeof(CloseReason))]
[JsonSerializable(typeof(SlotMode))]
[JsonSerializable(typeof(DistributionSummary))]
[JsonSerializable(typeof(QuantileValue))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, FieldValue>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, long>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, DistributionSummary>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, FieldValue>))]
[JsonSerializable(typeof(Dictionary<string, long>))]
[JsonSerializable(typeof(Dictionary<string, DistributionSummary>))]
public sealed partial class ContractsJsonContext : JsonSerializerContext
{
}
