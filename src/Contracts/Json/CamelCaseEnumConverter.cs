using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aggregator.Contracts.Json;

/// <summary>
/// Enums travel as camelCase names ("forceFlushed", "wait"), never as numbers: a number would silently change
/// meaning if members were reordered, and names are what non-.NET producers can write by hand. Declared on the
/// enum type so every serializer configuration, source-generated or not, agrees on the wire format.
/// </summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
