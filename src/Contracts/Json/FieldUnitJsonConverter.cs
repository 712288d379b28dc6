using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aggregator.Contracts.Json;

/// <summary>
/// Writes <see cref="FieldUnit"/> as the short names producers already use for units ("ms", "bytes"), not as
/// the enum's member names, so <c>observe</c> messages and field values speak the same vocabulary.
/// </summary>
public sealed class FieldUnitJsonConverter : JsonConverter<FieldUnit>
{
    public override FieldUnit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"unit: expected a string, got {Describe(reader.TokenType)}; expected one of {UnitNames.Accepted}");
        var name = reader.GetString();
        return UnitNames.TryParse(name, out var unit)
            ? unit
            : throw new JsonException($"unit: unknown unit '{name}'; expected one of {UnitNames.Accepted}");
    }

    public override void Write(Utf8JsonWriter writer, FieldUnit value, JsonSerializerOptions options) =>
        writer.WriteStringValue(UnitNames.ToWire(value));

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Number => "a number",
        JsonTokenType.String => "a string",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => token.ToString(),
    };
}
