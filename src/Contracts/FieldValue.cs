using System.Globalization;
using System.Text.Json.Serialization;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts;

/// <summary>What a field holds; an entry's fields are wide and loosely typed, so the kind travels with the value.</summary>
public enum FieldKind : byte
{
    Number,
    String,
    Bool,
    Duration,
    Timestamp,
}

/// <summary>The unit a numeric field or distribution is measured in, so outputs (EMF, queries) can label it.</summary>
[JsonConverter(typeof(FieldUnitJsonConverter))]
public enum FieldUnit
{
    None,
    Milliseconds,
    Microseconds,
    Seconds,
    Bytes,
    Count,
    Percent,
}

/// <summary>
/// One field value: a number, string, bool, duration or timestamp, optionally with a unit. A value type with
/// factory methods so producers write <c>FieldValue.Of(12.5, FieldUnit.Milliseconds)</c> and the entry never
/// boxes numbers. On the wire it is a bare JSON number, string or bool where it can be (see <see cref="FieldValueJsonConverter"/>).
/// </summary>
[JsonConverter(typeof(FieldValueJsonConverter))]
public readonly record struct FieldValue
{
    // 24 bytes: every entry keeps one per field, and every Set message carries one. The payload is the double's
    // bits, the bool, the duration's ticks or the timestamp's clock ticks (with its offset in minutes).
    private readonly string? text;
    private readonly long payload;
    private readonly short offsetMinutes;
    private readonly FieldKind kind;
    private readonly FieldUnit unit;

    private FieldValue(FieldKind kind, long payload, string? text, FieldUnit unit, short offsetMinutes = 0)
    {
        this.kind = kind;
        this.payload = payload;
        this.text = text;
        this.unit = unit;
        this.offsetMinutes = offsetMinutes;
    }

    public FieldKind Kind => kind;

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Number"/>.</summary>
    public double Number => kind == FieldKind.Number ? BitConverter.Int64BitsToDouble(payload) : 0;

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public string? Text => text;

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Bool"/>.</summary>
    public bool Flag => kind == FieldKind.Bool && payload != 0;

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Duration"/>.</summary>
    public TimeSpan Duration => kind == FieldKind.Duration ? new TimeSpan(payload) : default;

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Timestamp"/>.</summary>
    public DateTimeOffset Timestamp => kind == FieldKind.Timestamp ? new DateTimeOffset(payload, TimeSpan.FromMinutes(offsetMinutes)) : default;

    public FieldUnit Unit => unit;

    /// <summary>A number; every NaN is stored as the one canonical NaN, so equal-looking values compare equal.</summary>
    public static FieldValue Of(double number, FieldUnit unit = FieldUnit.None) =>
        new(FieldKind.Number, BitConverter.DoubleToInt64Bits(double.IsNaN(number) ? double.NaN : number), null, unit);

    public static FieldValue Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(FieldKind.String, 0, text, FieldUnit.None);
    }

    public static FieldValue Of(bool flag) => new(FieldKind.Bool, flag ? 1 : 0, null, FieldUnit.None);

    /// <summary>A duration; its unit says how outputs should express it (milliseconds unless told otherwise).</summary>
    public static FieldValue Of(TimeSpan duration, FieldUnit unit = FieldUnit.Milliseconds) => new(FieldKind.Duration, duration.Ticks, null, unit);

    public static FieldValue Of(DateTimeOffset timestamp) =>
        new(FieldKind.Timestamp, timestamp.Ticks, null, FieldUnit.None, (short)timestamp.TotalOffsetMinutes);

    public static implicit operator FieldValue(double number) => Of(number);
    public static implicit operator FieldValue(long number) => Of(number);
    public static implicit operator FieldValue(int number) => Of(number);
    public static implicit operator FieldValue(string text) => Of(text);
    public static implicit operator FieldValue(bool flag) => Of(flag);
    public static implicit operator FieldValue(TimeSpan duration) => Of(duration);
    public static implicit operator FieldValue(DateTimeOffset timestamp) => Of(timestamp);

    public override string ToString() => Kind switch
    {
        FieldKind.Number => Number.ToString("R", CultureInfo.InvariantCulture) + UnitSuffix,
        FieldKind.String => Text ?? "",
        FieldKind.Bool => Flag ? "true" : "false",
        FieldKind.Duration => Duration.TotalMilliseconds.ToString("R", CultureInfo.InvariantCulture) + "ms",
        FieldKind.Timestamp => Timestamp.ToString("O", CultureInfo.InvariantCulture),
        _ => "?",
    };

    private string UnitSuffix => Unit switch
    {
        FieldUnit.Milliseconds => "ms",
        FieldUnit.Microseconds => "µs",
        FieldUnit.Seconds => "s",
        FieldUnit.Bytes => "B",
        FieldUnit.Percent => "%",
        _ => "",
    };
}
