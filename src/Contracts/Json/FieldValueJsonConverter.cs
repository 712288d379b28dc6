using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aggregator.Contracts.Json;

/// <summary>
/// The wire shape of a <see cref="FieldValue"/>, chosen so a producer in any language writes the common cases
/// as plain JSON: a bare number, string or true/false is a Number, String or Bool. The rest are small objects
/// whose single key names the kind:
/// <c>{"number": 3, "unit": "bytes"}</c> (a number with a unit, or a non-finite number as "NaN"/"Infinity"/"-Infinity"),
/// <c>{"duration": 12.5, "unit": "ms"}</c> (the amount is in the unit; ms when the unit is left out; for a
/// non-time unit such as "none" the amount is in ms and the unit is carried as a label) and
/// <c>{"timestamp": "2026-11-21T10:00:00Z"}</c> (ISO 8601 with an explicit offset).
/// Durations are written as exact decimals of their unit, so they round-trip to the tick; timestamps keep their offset.
/// </summary>
public sealed class FieldValueJsonConverter : JsonConverter<FieldValue>
{
    private const string Expected = "expected a number, a string, true/false, or an object with one of number, duration, timestamp (and optionally unit)";

    // Names written and read; JsonEncodedText avoids re-encoding them for every value.
    private static readonly JsonEncodedText NumberName = JsonEncodedText.Encode("number");
    private static readonly JsonEncodedText DurationName = JsonEncodedText.Encode("duration");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText UnitName = JsonEncodedText.Encode("unit");

    public override FieldValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => FieldValue.Of(ReadFiniteDouble(ref reader)),
        JsonTokenType.String => FieldValue.Of(reader.GetString()!),
        JsonTokenType.True => FieldValue.Of(true),
        JsonTokenType.False => FieldValue.Of(false),
        JsonTokenType.StartObject => ReadObject(ref reader),
        _ => throw Error($"got {FieldUnitJsonConverter.Describe(reader.TokenType)}; {Expected}"),
    };

    public override void Write(Utf8JsonWriter writer, FieldValue value, JsonSerializerOptions options)
    {
        switch (value.Kind)
        {
            case FieldKind.Number when value.Unit == FieldUnit.None && double.IsFinite(value.Number):
                writer.WriteNumberValue(value.Number);
                break;
            case FieldKind.Number:
                writer.WriteStartObject();
                writer.WritePropertyName(NumberName);
                if (double.IsFinite(value.Number)) writer.WriteNumberValue(value.Number);
                else writer.WriteStringValue(value.Number.ToString(CultureInfo.InvariantCulture));
                WriteUnit(writer, value.Unit, FieldUnit.None);
                writer.WriteEndObject();
                break;
            case FieldKind.String:
                writer.WriteStringValue(value.Text);
                break;
            case FieldKind.Bool:
                writer.WriteBooleanValue(value.Flag);
                break;
            case FieldKind.Duration:
                writer.WriteStartObject();
                writer.WriteNumber(DurationName, (decimal)value.Duration.Ticks / TicksPer(value.Unit));
                WriteUnit(writer, value.Unit, FieldUnit.Milliseconds);
                writer.WriteEndObject();
                break;
            case FieldKind.Timestamp:
                writer.WriteStartObject();
                writer.WriteString(TimestampName, value.Timestamp);
                writer.WriteEndObject();
                break;
            default:
                throw Error($"kind {value.Kind} has no wire shape");
        }
    }

    private static void WriteUnit(Utf8JsonWriter writer, FieldUnit unit, FieldUnit implied)
    {
        if (unit != implied) writer.WriteString(UnitName, UnitNames.ToWire(unit));
    }

    /// <summary>Ticks per unit of a duration's amount: the time units scale it; any other unit is only a label, and the amount is in ms.</summary>
    private static long TicksPer(FieldUnit unit) => unit switch
    {
        FieldUnit.Microseconds => TimeSpan.TicksPerMicrosecond,
        FieldUnit.Seconds => TimeSpan.TicksPerSecond,
        _ => TimeSpan.TicksPerMillisecond,
    };

    private static FieldValue ReadObject(ref Utf8JsonReader reader)
    {
        FieldKind? kind = null;
        double number = 0;
        decimal? durationAmount = null;
        DateTimeOffset timestamp = default;
        FieldUnit? unit = null;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "number":
                    SetKind(ref kind, FieldKind.Number);
                    number = ReadNumberOrNamedLiteral(ref reader);
                    break;
                case "duration":
                    SetKind(ref kind, FieldKind.Duration);
                    durationAmount = ReadDurationAmount(ref reader);
                    break;
                case "timestamp":
                    SetKind(ref kind, FieldKind.Timestamp);
                    timestamp = ReadTimestamp(ref reader);
                    break;
                case "unit":
                    if (unit is not null) throw Error("'unit' given twice");
                    unit = ReadUnit(ref reader);
                    break;
                default:
                    throw Error($"unknown property '{name}'; expected one of number, duration, timestamp, unit");
            }
        }

        return kind switch
        {
            FieldKind.Number => FieldValue.Of(number, unit ?? FieldUnit.None),
            FieldKind.Duration => FieldValue.Of(ToDuration(durationAmount!.Value, unit ?? FieldUnit.Milliseconds), unit ?? FieldUnit.Milliseconds),
            FieldKind.Timestamp when unit is null or FieldUnit.None => FieldValue.Of(timestamp),
            FieldKind.Timestamp => throw Error("a timestamp takes no unit"),
            _ => throw Error("an object needs one of number, duration, timestamp"),
        };
    }

    private static void SetKind(ref FieldKind? kind, FieldKind next)
    {
        if (kind == next)
            throw Error($"'{Name(next)}' given twice");
        if (kind is not null)
            throw Error($"an object holds exactly one of number, duration, timestamp, but has both {Name(kind.Value)} and {Name(next)}");
        kind = next;
    }

    private static string Name(FieldKind kind) => kind switch
    {
        FieldKind.Duration => "duration",
        FieldKind.Timestamp => "timestamp",
        _ => "number",
    };

    private static double ReadFiniteDouble(ref Utf8JsonReader reader) =>
        reader.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw Error($"number {RawText(ref reader)} is out of range of a double");

    private static double ReadNumberOrNamedLiteral(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number) return ReadFiniteDouble(ref reader);
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var other => throw Error($"number '{other}' is not a number; expected a JSON number, or \"NaN\", \"Infinity\", \"-Infinity\""),
            };
        }
        throw Error($"number: expected a JSON number, got {FieldUnitJsonConverter.Describe(reader.TokenType)}");
    }

    private static decimal ReadDurationAmount(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw Error($"duration: expected a JSON number (the amount in its unit, ms by default), got {FieldUnitJsonConverter.Describe(reader.TokenType)}");
        return reader.TryGetDecimal(out var amount)
            ? amount
            : throw Error($"duration {RawText(ref reader)} is out of range");
    }

    private static TimeSpan ToDuration(decimal amount, FieldUnit unit)
    {
        // Bound the amount first so an absurd one is a JsonException, not a decimal OverflowException.
        var ticks = Math.Abs(amount) <= 1e20m ? Math.Round(amount * TicksPer(unit), MidpointRounding.ToEven) : decimal.MaxValue;
        if (ticks < long.MinValue || ticks > long.MaxValue)
            throw Error($"duration {amount.ToString(CultureInfo.InvariantCulture)} {UnitNames.ToWire(unit)} is out of range of a TimeSpan");
        return TimeSpan.FromTicks((long)ticks);
    }

    private static DateTimeOffset ReadTimestamp(ref Utf8JsonReader reader)
    {
        const string Format = "expected an ISO 8601 date-time with an offset, e.g. 2026-11-21T10:00:00Z";
        if (reader.TokenType != JsonTokenType.String)
            throw Error($"timestamp: expected a string, got {FieldUnitJsonConverter.Describe(reader.TokenType)}; {Format}");
        var text = reader.GetString()!;
        if (!reader.TryGetDateTimeOffset(out var timestamp))
            throw Error($"timestamp '{text}' is not a date-time; {Format}");
        // Without an offset the parser would assume this server's local time zone: reject rather than guess.
        if (!HasExplicitOffset(text))
            throw Error($"timestamp '{text}' has no offset; {Format}");
        return timestamp;
    }

    private static bool HasExplicitOffset(string text)
    {
        var time = text.AsSpan().IndexOfAny('T', 't');
        return time >= 0 && text.AsSpan(time).IndexOfAny("Zz+-") >= 0;
    }

    private static FieldUnit ReadUnit(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Error($"unit: expected a string, got {FieldUnitJsonConverter.Describe(reader.TokenType)}; expected one of {UnitNames.Accepted}");
        var name = reader.GetString();
        return UnitNames.TryParse(name, out var unit)
            ? unit
            : throw Error($"unknown unit '{name}'; expected one of {UnitNames.Accepted}");
    }

    private static string RawText(ref Utf8JsonReader reader) =>
        System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());

    private static JsonException Error(string detail) => new($"field value: {detail}");
}
