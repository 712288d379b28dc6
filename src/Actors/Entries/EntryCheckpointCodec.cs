using System.Buffers;
using System.Text.Json;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Writes and reads an <see cref="EntryCheckpoint"/> as versioned JSON (<c>{"version":1,"entries":[…],"tombstones":[…]}</c>),
/// hand-written so that every value survives exactly: doubles in their shortest round-trip form (NaN and the
/// infinities as strings), durations as ticks, timestamps as ISO 8601 with their offset, distributions with their
/// retained observations and sampler state. A reader meeting a version it does not know refuses it rather than guess.
/// </summary>
public static partial class EntryCheckpointCodec
{
    /// <summary>The format this build writes, and the only one it reads.</summary>
    public const int Version = 1;

    public static byte[] Encode(EntryCheckpoint checkpoint)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, checkpoint);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, EntryCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(checkpoint);
        writer.WriteStartObject();
        writer.WriteNumber("version", Version);
        writer.WriteStartArray("entries");
        foreach (var entry in checkpoint.Entries) WriteEntry(writer, entry);
        writer.WriteEndArray();
        writer.WriteStartArray("tombstones");
        foreach (var tombstone in checkpoint.Tombstones)
        {
            writer.WriteStartObject();
            writer.WriteString("id", tombstone.Id);
            writer.WriteString("operation", tombstone.Operation);
            writer.WriteString("endedAt", tombstone.EndedAt);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter writer, EntrySnapshot entry)
    {
        writer.WriteStartObject();
        writer.WriteString("id", entry.Id);
        writer.WriteString("operation", entry.Operation);
        if (entry.Dimensions is null) writer.WriteNull("dimensions");
        else
        {
            writer.WriteStartObject("dimensions");
            foreach (var (key, value) in entry.Dimensions) writer.WriteString(key, value);
            writer.WriteEndObject();
        }
        writer.WriteString("openedAt", entry.OpenedAt);
        writer.WriteNumber("inFlightAtOpen", entry.InFlightAtOpen);
        WriteInstant(writer, "forceFlushAt", entry.ForceFlushAt);
        WriteInstant(writer, "expiresAt", entry.ExpiresAt);
        writer.WriteBoolean("ownerReleased", entry.OwnerReleased);
        writer.WriteBoolean("forceReleased", entry.ForceReleased);
        writer.WriteBoolean("deadlinePassed", entry.DeadlinePassed);
        writer.WriteStartArray("guards");
        foreach (var guard in entry.Guards)
        {
            writer.WriteStartObject();
            writer.WriteString("name", guard.Name);
            writer.WriteNumber("count", guard.Count);
            writer.WriteBoolean("force", guard.Force);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WritePropertyName("record");
        WriteRecord(writer, entry.Record);
        writer.WriteStartArray("slots");
        foreach (var slot in entry.Slots)
        {
            writer.WriteStartObject();
            writer.WriteString("name", slot.Name);
            writer.WriteString("mode", Name(slot.Mode));
            writer.WriteString("status", Name(slot.Status));
            if (slot.Record is { } record)
            {
                writer.WritePropertyName("record");
                WriteRecord(writer, record);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("failedSlots");
        foreach (var name in entry.FailedSlots) writer.WriteStringValue(name);
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteRecord(Utf8JsonWriter writer, RecordSnapshot record)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("fields");
        foreach (var (name, value) in record.Fields)
        {
            writer.WritePropertyName(name);
            WriteFieldValue(writer, value);
        }
        writer.WriteEndObject();
        writer.WriteStartObject("counters");
        foreach (var (name, value) in record.Counters) writer.WriteNumber(name, value);
        writer.WriteEndObject();
        writer.WriteStartObject("distributions");
        foreach (var (name, distribution) in record.Distributions)
        {
            writer.WriteStartObject(name);
            writer.WriteString("unit", Name(distribution.Unit));
            writer.WriteNumber("count", distribution.Count);
            WriteDouble(writer, "sum", distribution.Sum);
            WriteDouble(writer, "min", distribution.Min);
            WriteDouble(writer, "max", distribution.Max);
            writer.WriteNumber("sampler", distribution.Sampler);
            writer.WriteStartArray("retained");
            foreach (var value in distribution.Retained) WriteDoubleValue(writer, value);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteStartObject("timers");
        foreach (var (name, timer) in record.Timers)
        {
            writer.WriteStartObject(name);
            writer.WriteNumber("elapsedTicks", timer.Elapsed.Ticks);
            WriteInstant(writer, "startedAt", timer.StartedAt);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A field value with its kind and unit, so a number, a duration and a timestamp never blur into one another.</summary>
    private static void WriteFieldValue(Utf8JsonWriter writer, FieldValue value)
    {
        writer.WriteStartObject();
        writer.WriteString("kind", Name(value.Kind));
        switch (value.Kind)
        {
            case FieldKind.Number:
                WriteDouble(writer, "value", value.Number);
                break;
            case FieldKind.String:
                writer.WriteString("value", value.Text);
                break;
            case FieldKind.Bool:
                writer.WriteBoolean("value", value.Flag);
                break;
            case FieldKind.Duration:
                writer.WriteNumber("ticks", value.Duration.Ticks);
                break;
            case FieldKind.Timestamp:
                writer.WriteString("value", value.Timestamp);
                break;
        }
        if (value.Unit != FieldUnit.None) writer.WriteString("unit", Name(value.Unit));
        writer.WriteEndObject();
    }

    private static void WriteInstant(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } instant) writer.WriteString(name, instant);
        else writer.WriteNull(name);
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteDoubleValue(writer, value);
    }

    /// <summary>JSON has no NaN or infinity: those are written as the strings "NaN", "Infinity" and "-Infinity".</summary>
    private static void WriteDoubleValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    /// <summary>Enum members by name, first letter lower-cased ("wait", "completing", "milliseconds").</summary>
    private static string Name<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
