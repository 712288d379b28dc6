using System.Text.Json;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Wire;

/// <summary>
/// Writes contract records in the wire format <see cref="WireMessageReader"/> reads: what the producer client
/// sends over HTTP (a JSON array or NDJSON) and what cluster mode publishes per message.
/// </summary>
public static class WireMessageWriter
{
    /// <summary>Writes one message object.</summary>
    public static void Write(Utf8JsonWriter writer, IEntryMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        writer.WriteStartObject();
        switch (message)
        {
            case Open open:
                Head(writer, "open", open.EntryId);
                writer.WriteString("operation"u8, open.Operation);
                if (open.Dimensions is { Count: > 0 } dimensions)
                {
                    writer.WriteStartObject("dimensions"u8);
                    foreach (var (key, value) in dimensions) writer.WriteString(key, value);
                    writer.WriteEndObject();
                }
                if (open.ForceFlushAfter is { } forceFlushAfter) writer.WriteNumber("forceFlushAfterMs"u8, Milliseconds(forceFlushAfter));
                if (open.MaxLifetime is { } maxLifetime) writer.WriteNumber("maxLifetimeMs"u8, Milliseconds(maxLifetime));
                break;
            case Set set:
                Head(writer, "set", set.EntryId);
                writer.WriteString("field"u8, set.Field);
                Value(writer, set.Value);
                break;
            case SlotSet set:
                Head(writer, "set", set.EntryId);
                writer.WriteString("slot"u8, set.Slot);
                writer.WriteString("field"u8, set.Field);
                Value(writer, set.Value);
                break;
            case Add add:
                Head(writer, "add", add.EntryId);
                writer.WriteString("counter"u8, add.Counter);
                writer.WriteNumber("delta"u8, add.Delta);
                break;
            case SlotAdd add:
                Head(writer, "add", add.EntryId);
                writer.WriteString("slot"u8, add.Slot);
                writer.WriteString("counter"u8, add.Counter);
                writer.WriteNumber("delta"u8, add.Delta);
                break;
            case Observe observe:
                Head(writer, "observe", observe.EntryId);
                writer.WriteString("name"u8, observe.Distribution);
                writer.WriteNumber("value"u8, Finite(observe.Value));
                Unit(writer, observe.Unit);
                break;
            case SlotObserve observe:
                Head(writer, "observe", observe.EntryId);
                writer.WriteString("slot"u8, observe.Slot);
                writer.WriteString("name"u8, observe.Distribution);
                writer.WriteNumber("value"u8, Finite(observe.Value));
                Unit(writer, observe.Unit);
                break;
            case OpenSlot slot:
                Head(writer, "openSlot", slot.EntryId);
                writer.WriteString("slot"u8, slot.Slot);
                writer.WriteString("mode"u8, slot.Mode == SlotMode.Wait ? "wait"u8 : "discard"u8);
                break;
            case CompleteSlot slot:
                Head(writer, "completeSlot", slot.EntryId);
                writer.WriteString("slot"u8, slot.Slot);
                break;
            case FailSlot slot:
                Head(writer, "failSlot", slot.EntryId);
                writer.WriteString("slot"u8, slot.Slot);
                writer.WriteString("error"u8, slot.Reason);
                break;
            case AcquireGuard guard:
                Head(writer, "acquireGuard", guard.EntryId);
                writer.WriteString("guard"u8, guard.Guard);
                writer.WriteBoolean("force"u8, guard.Force);
                break;
            case ReleaseGuard guard:
                Head(writer, "releaseGuard", guard.EntryId);
                writer.WriteString("guard"u8, guard.Guard);
                break;
            case Close close:
                Head(writer, "close", close.EntryId);
                break;
            case Discard discard:
                Head(writer, "discard", discard.EntryId);
                break;
            case StartTimer timer:
                Head(writer, "startTimer", timer.EntryId);
                writer.WriteString("timer"u8, timer.Timer);
                if (timer.At is { } startedAt) writer.WriteString("at"u8, startedAt);
                break;
            case StopTimer timer:
                Head(writer, "stopTimer", timer.EntryId);
                writer.WriteString("timer"u8, timer.Timer);
                if (timer.At is { } stoppedAt) writer.WriteString("at"u8, stoppedAt);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} has no wire form; expected one of {WireOps.Names}.", nameof(message));
        }
        writer.WriteEndObject();
    }

    private static void Head(Utf8JsonWriter writer, string op, string entry)
    {
        writer.WriteString("op"u8, op);
        writer.WriteString("entry"u8, entry);
    }

    /// <summary>
    /// The wire carries numbers, strings and bools; a duration goes as milliseconds with unit "ms" and a timestamp as
    /// its ISO-8601 string, which is how they read back.
    /// </summary>
    private static void Value(Utf8JsonWriter writer, FieldValue value)
    {
        switch (value.Kind)
        {
            case FieldKind.Number:
                writer.WriteNumber("value"u8, Finite(value.Number));
                Unit(writer, value.Unit);
                break;
            case FieldKind.String: writer.WriteString("value"u8, value.Text); break;
            case FieldKind.Bool: writer.WriteBoolean("value"u8, value.Flag); break;
            case FieldKind.Duration:
                writer.WriteNumber("value"u8, Milliseconds(value.Duration));
                writer.WriteString("unit"u8, "ms"u8);
                break;
            case FieldKind.Timestamp: writer.WriteString("value"u8, value.Timestamp); break;
            default: throw new ArgumentException($"Unknown field kind {value.Kind}.", nameof(value));
        }
    }

    /// <summary>A time span as the exact decimal number of milliseconds (ticks / 10,000), so it reads back to the tick.</summary>
    private static decimal Milliseconds(TimeSpan span) => (decimal)span.Ticks / TimeSpan.TicksPerMillisecond;

    private static double Finite(double number) =>
        double.IsFinite(number) ? number : throw new ArgumentException($"The wire format carries finite numbers only, not {number}.", nameof(number));

    private static void Unit(Utf8JsonWriter writer, FieldUnit unit)
    {
        if (unit != FieldUnit.None) writer.WriteString("unit"u8, UnitNames.ToWire(unit));
    }
}
