using System.Text.Json.Serialization;

namespace Aggregator.Contracts.Json;

/// <summary>
/// Compile-time JSON metadata for closed entries (outputs, stores, the entries API), so they are read without
/// reflection and their shape is fixed by these options rather than by whoever configures a serializer:
/// camelCase names, enums as camelCase strings (declared on the enums), nulls left out, non-finite doubles as
/// "NaN"/"Infinity", constructor parameters without a default required and non-nullable ones refusing null,
/// duplicate properties rejected. Entry messages are not here: they have their own hand-written wire format
/// (<see cref="Wire.WireMessageReader"/>, <see cref="Wire.WireMessageWriter"/>).
/// Dictionary keys (field, counter, dimension names) are kept verbatim.
/// Use <see cref="ContractsJson.Options"/> rather than <c>Default.Options</c>: it adds the checks attributes cannot express.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    RespectRequiredConstructorParameters = true,
    RespectNullableAnnotations = true,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(ClosedEntry))]
[JsonSerializable(typeof(FieldValue))]
[JsonSerializable(typeof(FieldUnit))]
[JsonSerializable(typeof(CloseReason))]
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
