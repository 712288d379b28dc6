using System.Globalization;
using System.Text.Json.Serialization;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts;

/// <summary>What a field holds; an entry's fields are wide and loosely typed, so the kind travels with the value.</summary>
public enum FieldKind
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
    private FieldValue(FieldKind kind, double number, string? text, bool flag, TimeSpan duration, DateTimeOffset timestamp, FieldUnit unit)
    {
        Kind = kind;
        Number = number;
        Text = text;
        Flag = flag;
        Duration = duration;
        Timestamp = timestamp;
        Unit = unit;
    }

    public FieldKind Kind { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Number"/>.</summary>
    public double Number { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.String"/>.</summary>
    public string? Text { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Bool"/>.</summary>
    public bool Flag { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Duration"/>.</summary>
    public TimeSpan Duration { get; }

    /// <summary>The value when <see cref="Kind"/> is <see cref="FieldKind.Timestamp"/>.</summary>
    public DateTimeOffset Timestamp { get; }

    public FieldUnit Unit { get; }

    public static FieldValue Of(double number, FieldUnit unit = FieldUnit.None) => new(FieldKind.Number, number, null, false, default, default, unit);

    public static FieldValue Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new(FieldKind.String, 0, text, false, default, default, FieldUnit.None);
    }

    public static FieldValue Of(bool flag) => new(FieldKind.Bool, 0, null, flag, default, default, FieldUnit.None);

    /// <summary>A duration; its unit says how outputs should express it (milliseconds unless told otherwise).</summary>
    public static FieldValue Of(TimeSpan duration, FieldUnit unit = FieldUnit.Milliseconds) => new(FieldKind.Duration, 0, null, false, duration, default, unit);

    public static FieldValue Of(DateTimeOffset timestamp) => new(FieldKind.Timestamp, 0, null, false, default, timestamp, FieldUnit.None);

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
