using System.Text;
using System.Text.Json;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Wire;

/// <summary>
/// Reads the wire format producers send (<c>{"op":"set","entry":"e-1","field":"Status","value":"ok"}</c>) into the
/// contract records, by hand over <see cref="Utf8JsonReader"/> rather than through a serializer: a message that is
/// wrong gets an error naming the op, the property and what is accepted, and the reader moves on to the next
/// message, so one bad message never costs the others in its batch. Properties may come in any order; unknown
/// and duplicate properties are refused (a typo such as "entryId" must not silently drop data).
/// One instance per batch: it remembers the last entry id so consecutive messages of one entry share one string.
/// </summary>
public sealed class WireMessageReader
{
    private readonly WireLimits limits;
    private byte[] lastEntryBytes = [];
    private string? lastEntry;

    public WireMessageReader(WireLimits? limits = null)
    {
        this.limits = limits ?? WireLimits.Default;
        this.limits.Validate();
    }

    /// <summary>
    /// Reads the message object at the reader's position (its StartObject, or just before it). Returns the message,
    /// or null and <paramref name="error"/> when the object is not a valid message; either way the reader ends on the
    /// object's EndObject. JSON that is not well-formed throws <see cref="JsonException"/> (the batch decides what
    /// that costs).
    /// </summary>
    public IEntryMessage? Read(ref Utf8JsonReader reader, out string? error)
    {
        if (reader.TokenType == JsonTokenType.None) reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            error = $"expected a message object, got {Describe(reader.TokenType)}";
            reader.Skip();
            return null;
        }
        var depth = reader.CurrentDepth;
        var raw = new RawMessage();
        error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (error is not null)
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            error = ReadProperty(ref reader, ref raw);
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != depth)
        {
            throw new JsonException("unterminated message object");
        }
        return error is null ? Build(ref raw, out error) : null;
    }

    private string? ReadProperty(ref Utf8JsonReader reader, ref RawMessage raw)
    {
        var property = PropertyOf(ref reader, out var unknownName);
        reader.Read();
        if (property == WireProperty.None)
        {
            reader.Skip();
            return $"unknown property \"{Truncate(unknownName)}\"";
        }
        var name = WireOp.NameOf(property);
        if ((raw.Seen & property) != 0)
        {
            reader.Skip();
            return $"\"{name}\" appears twice";
        }
        raw.Seen |= property;
        try
        {
            switch (property)
            {
                case WireProperty.Op: return ReadOp(ref reader, out raw.Op);
                case WireProperty.Entry: return ReadEntryId(ref reader, out raw.Entry);
                case WireProperty.Operation: return ReadName(ref reader, name, out raw.Operation);
                case WireProperty.Field: return ReadName(ref reader, name, out raw.Field);
                case WireProperty.Counter: return ReadName(ref reader, name, out raw.Counter);
                case WireProperty.Name: return ReadName(ref reader, name, out raw.Name);
                case WireProperty.Slot: return ReadName(ref reader, name, out raw.Slot);
                case WireProperty.Guard: return ReadName(ref reader, name, out raw.Guard);
                case WireProperty.Timer: return ReadName(ref reader, name, out raw.Timer);
                case WireProperty.Mode: return ReadName(ref reader, name, out raw.Mode);
                case WireProperty.Unit: return ReadName(ref reader, name, out raw.Unit);
                case WireProperty.Error: return ReadText(ref reader, name, out raw.Error);
                case WireProperty.Value: return ReadValue(ref reader, ref raw);
                case WireProperty.Delta: return ReadDelta(ref reader, out raw.Delta);
                case WireProperty.ForceFlushAfterMs: return ReadMilliseconds(ref reader, name, out raw.ForceFlushAfter);
                case WireProperty.MaxLifetimeMs: return ReadMilliseconds(ref reader, name, out raw.MaxLifetime);
                case WireProperty.Force: return ReadBool(ref reader, name, out raw.Force);
                case WireProperty.At: return ReadTimestamp(ref reader, name, out raw.At);
                case WireProperty.Dimensions: return ReadDimensions(ref reader, out raw.Dimensions);
                default: reader.Skip(); return $"unknown property \"{name}\"";
            }
        }
        catch (InvalidOperationException)
        {
            // GetString on a string that is not valid UTF-8 (Utf8JsonReader checks structure, not every string's encoding).
            reader.Skip();
            return $"\"{name}\" is not valid UTF-8";
        }
    }

    private static WireProperty PropertyOf(ref Utf8JsonReader reader, out string? unknown)
    {
        unknown = null;
        ReadOnlySpan<byte> name;
        try
        {
            name = reader.ValueIsEscaped ? Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
        }
        catch (InvalidOperationException)
        {
            unknown = "(a name that is not valid UTF-8)";
            return WireProperty.None;
        }
        var property = name.Length switch
        {
            2 when name.SequenceEqual("op"u8) => WireProperty.Op,
            2 when name.SequenceEqual("at"u8) => WireProperty.At,
            4 when name.SequenceEqual("slot"u8) => WireProperty.Slot,
            4 when name.SequenceEqual("name"u8) => WireProperty.Name,
            4 when name.SequenceEqual("unit"u8) => WireProperty.Unit,
            4 when name.SequenceEqual("mode"u8) => WireProperty.Mode,
            5 when name.SequenceEqual("entry"u8) => WireProperty.Entry,
            5 when name.SequenceEqual("field"u8) => WireProperty.Field,
            5 when name.SequenceEqual("value"u8) => WireProperty.Value,
            5 when name.SequenceEqual("delta"u8) => WireProperty.Delta,
            5 when name.SequenceEqual("guard"u8) => WireProperty.Guard,
            5 when name.SequenceEqual("force"u8) => WireProperty.Force,
            5 when name.SequenceEqual("error"u8) => WireProperty.Error,
            5 when name.SequenceEqual("timer"u8) => WireProperty.Timer,
            7 when name.SequenceEqual("counter"u8) => WireProperty.Counter,
            9 when name.SequenceEqual("operation"u8) => WireProperty.Operation,
            10 when name.SequenceEqual("dimensions"u8) => WireProperty.Dimensions,
            13 when name.SequenceEqual("maxLifetimeMs"u8) => WireProperty.MaxLifetimeMs,
            17 when name.SequenceEqual("forceFlushAfterMs"u8) => WireProperty.ForceFlushAfterMs,
            _ => WireProperty.None,
        };
        if (property == WireProperty.None)
        {
            unknown = Encoding.UTF8.GetString(name);
        }
        return property;
    }

    private IEntryMessage? Build(ref RawMessage raw, out string? error)
    {
        error = null;
        if (raw.Op is null)
        {
            error = $"missing \"op\"; expected one of {WireOps.Names}";
            return null;
        }
        if (!WireOps.TryGet(raw.Op, out var op))
        {
            error = $"unknown op \"{Truncate(raw.Op)}\"; expected one of {WireOps.Names}";
            return null;
        }
        var missing = (op.Required | WireProperty.Entry) & ~raw.Seen;
        if (missing != 0)
        {
            error = $"{op.Name}: missing {string.Join(", ", WireOp.Expand(missing).Select(n => $"\"{n}\""))}; {op.Name} takes {op.Describe()}";
            return null;
        }
        var extra = raw.Seen & ~op.Allowed;
        if (extra != 0)
        {
            error = $"{op.Name}: {string.Join(", ", WireOp.Expand(extra).Select(n => $"\"{n}\""))} is not a property of {op.Name}; {op.Name} takes {op.Describe()}";
            return null;
        }
        var entry = raw.Entry!;
        switch (op.Name)
        {
            case "open":
                return new Open(entry, raw.Operation!, raw.Dimensions, raw.ForceFlushAfter, raw.MaxLifetime);
            case "set":
                if (!TryUnit(raw.Unit, op.Name, out var setUnit, out error)) return null;
                FieldValue value;
                switch (raw.ValueKind)
                {
                    case JsonTokenType.Number: value = FieldValue.Of(raw.Number, setUnit); break;
                    case JsonTokenType.String when raw.Unit is null: value = FieldValue.Of(raw.Text!); break;
                    case JsonTokenType.True or JsonTokenType.False when raw.Unit is null: value = FieldValue.Of(raw.ValueKind == JsonTokenType.True); break;
                    default: error = "set: \"unit\" applies only to a number value"; return null;
                }
                return raw.Slot is null ? new Set(entry, raw.Field!, value) : new SlotSet(entry, raw.Slot, raw.Field!, value);
            case "add":
                return raw.Slot is null ? new Add(entry, raw.Counter!, raw.Delta) : new SlotAdd(entry, raw.Slot, raw.Counter!, raw.Delta);
            case "observe":
                if (raw.ValueKind != JsonTokenType.Number)
                {
                    error = $"observe: \"value\" must be a finite number, got {Describe(raw.ValueKind)}";
                    return null;
                }
                if (!TryUnit(raw.Unit, op.Name, out var observeUnit, out error)) return null;
                return raw.Slot is null ? new Observe(entry, raw.Name!, raw.Number, observeUnit) : new SlotObserve(entry, raw.Slot, raw.Name!, raw.Number, observeUnit);
            case "openSlot":
                var mode = raw.Mode switch
                {
                    null or "wait" => SlotMode.Wait,
                    "discard" => SlotMode.Discard,
                    _ => (SlotMode)(-1),
                };
                if (mode == (SlotMode)(-1))
                {
                    error = $"openSlot: \"mode\" must be wait or discard, got \"{Truncate(raw.Mode!)}\"";
                    return null;
                }
                return new OpenSlot(entry, raw.Slot!, mode);
            case "completeSlot": return new CompleteSlot(entry, raw.Slot!);
            case "failSlot": return new FailSlot(entry, raw.Slot!, raw.Error ?? "failed");
            case "acquireGuard": return new AcquireGuard(entry, raw.Guard!, raw.Force);
            case "releaseGuard": return new ReleaseGuard(entry, raw.Guard!);
            case "close": return new Close(entry);
            case "discard": return new Discard(entry);
            case "startTimer": return new StartTimer(entry, raw.Timer!, raw.At);
            case "stopTimer": return new StopTimer(entry, raw.Timer!, raw.At);
            default:
                error = $"unknown op \"{op.Name}\"; expected one of {WireOps.Names}";
                return null;
        }
    }

    private static bool TryUnit(string? name, string op, out FieldUnit unit, out string? error)
    {
        error = null;
        unit = FieldUnit.None;
        if (name is null || UnitNames.TryParse(name, out unit)) return true;
        error = $"{op}: unknown \"unit\" \"{Truncate(name)}\"; expected one of {UnitNames.Accepted}";
        return false;
    }

    private string? ReadEntryId(ref Utf8JsonReader reader, out string? entry)
    {
        entry = null;
        if (reader.TokenType != JsonTokenType.String) return MustBe("entry", "a non-empty string", ref reader);
        if (lastEntry is not null && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(lastEntryBytes))
        {
            entry = lastEntry;
            return null;
        }
        var error = ReadName(ref reader, "entry", out entry);
        if (error is null && !reader.ValueIsEscaped)
        {
            lastEntryBytes = reader.ValueSpan.ToArray();
            lastEntry = entry!;
        }
        return error;
    }

    /// <summary>The op is checked against the op table, not against <see cref="WireLimits.MaxNameLength"/>: a limit set low for names must not refuse "acquireGuard".</summary>
    private static string? ReadOp(ref Utf8JsonReader reader, out string? op)
    {
        op = null;
        if (reader.TokenType != JsonTokenType.String) return MustBe("op", "a non-empty string", ref reader);
        op = reader.GetString()!;
        return op.Length == 0 ? "\"op\" must not be empty" : null;
    }

    private string? ReadName(ref Utf8JsonReader reader, string name, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String) return MustBe(name, "a non-empty string", ref reader);
        var text = reader.GetString()!;
        if (text.Length == 0) return $"\"{name}\" must not be empty";
        if (text.Length > limits.MaxNameLength) return $"\"{name}\" is {text.Length} characters long; the limit is {limits.MaxNameLength}";
        if (text.Contains('\0')) return NulError(name);
        value = text;
        return null;
    }

    private string? ReadText(ref Utf8JsonReader reader, string name, out string? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String) return MustBe(name, "a string", ref reader);
        var text = reader.GetString()!;
        if (text.Length > limits.MaxStringLength) return $"\"{name}\" is {text.Length} characters long; the limit is {limits.MaxStringLength}";
        if (text.Contains('\0')) return NulError(name);
        value = text;
        return null;
    }

    private string? ReadValue(ref Utf8JsonReader reader, ref RawMessage raw)
    {
        raw.ValueKind = reader.TokenType;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.TryGetDouble(out raw.Number) || !double.IsFinite(raw.Number)) return $"\"value\" must be a finite number, got {RawNumber(ref reader)}";
                return null;
            case JsonTokenType.String:
                return ReadText(ref reader, "value", out raw.Text);
            case JsonTokenType.True or JsonTokenType.False:
                return null;
            default:
                return MustBe("value", "a number, string or bool", ref reader);
        }
    }

    private static string? ReadDelta(ref Utf8JsonReader reader, out long delta)
    {
        delta = 0;
        if (reader.TokenType != JsonTokenType.Number) return MustBe("delta", "a non-negative integer", ref reader);
        if (reader.TryGetInt64(out delta))
        {
            return delta < 0 ? $"\"delta\" must not be negative (counters only grow), got {delta}" : null;
        }
        var raw = RawNumber(ref reader);
        if (raw.StartsWith('-')) return $"\"delta\" must not be negative (counters only grow), got {raw}";
        if (reader.TryGetDecimal(out var amount) && amount != decimal.Truncate(amount)) return $"\"delta\" must be a whole number, got {raw}";
        return $"\"delta\" must be a non-negative integer of at most {long.MaxValue} written without a fraction or exponent, got {raw}";
    }

    /// <summary>
    /// A deadline in milliseconds, read as a decimal so the writer's exact decimals (ticks / 10,000) come back to the
    /// tick; it must come to at least one tick (0.0001 ms) and at most <see cref="MaxDeadlineMs"/>.
    /// </summary>
    private static string? ReadMilliseconds(ref Utf8JsonReader reader, string name, out TimeSpan? value)
    {
        value = null;
        if (reader.TokenType != JsonTokenType.Number) return MustBe(name, "a positive number of milliseconds", ref reader);
        var ticks = reader.TryGetDecimal(out var ms) && ms > 0 && ms <= MaxDeadlineMs
            ? (long)Math.Round(ms * TimeSpan.TicksPerMillisecond, MidpointRounding.ToEven)
            : 0;
        if (ticks <= 0) return $"\"{name}\" must be a positive number of milliseconds of at most {MaxDeadlineMs}, got {RawNumber(ref reader)}";
        value = TimeSpan.FromTicks(ticks);
        return null;
    }

    /// <summary>The longest deadline accepted: half of <see cref="TimeSpan.MaxValue"/>, so adding it to a clock cannot overflow.</summary>
    private static readonly decimal MaxDeadlineMs = decimal.Truncate((decimal)(TimeSpan.MaxValue.Ticks / 2) / TimeSpan.TicksPerMillisecond);

    private static string? ReadBool(ref Utf8JsonReader reader, string name, out bool value)
    {
        value = reader.TokenType == JsonTokenType.True;
        return reader.TokenType is JsonTokenType.True or JsonTokenType.False ? null : MustBe(name, "true or false", ref reader);
    }

    private static string? ReadTimestamp(ref Utf8JsonReader reader, string name, out DateTimeOffset? value)
    {
        const string Expected = "an ISO-8601 timestamp with an offset such as 2026-11-21T10:00:00Z";
        value = null;
        if (reader.TokenType != JsonTokenType.String) return MustBe(name, Expected, ref reader);
        // Without an offset the parser would assume this server's local time zone: refuse rather than guess.
        if (!reader.TryGetDateTimeOffset(out var at) || !HasExplicitOffset(reader.GetString()!))
        {
            return $"\"{name}\" must be {Expected}, got \"{Truncate(reader.GetString())}\"";
        }
        value = at;
        return null;
    }

    private static bool HasExplicitOffset(string text)
    {
        var time = text.AsSpan().IndexOfAny('T', 't');
        return time >= 0 && text.AsSpan(time).IndexOfAny("Zz+-") >= 0;
    }

    /// <summary>
    /// Reads the dimensions object to its EndObject whatever it holds, so a bad dimension (including a name or value
    /// that is not valid UTF-8) costs only its message, never the position of the reader in the batch.
    /// </summary>
    private string? ReadDimensions(ref Utf8JsonReader reader, out IReadOnlyDictionary<string, string>? dimensions)
    {
        dimensions = null;
        if (reader.TokenType != JsonTokenType.StartObject) return MustBe("dimensions", "an object of string values", ref reader);
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string? error = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string? key = null;
            if (error is null && !TryGetString(ref reader, out key)) error = "\"dimensions\": a name is not valid UTF-8";
            reader.Read();
            if (error is not null)
            {
                reader.Skip();
                continue;
            }
            if (key!.Length == 0 || key.Length > limits.MaxNameLength) error = $"\"dimensions\": a name must have 1 to {limits.MaxNameLength} characters, got {key.Length}";
            else if (reader.TokenType != JsonTokenType.String) error = $"\"dimensions\": \"{Truncate(key)}\" must be a string, got {Describe(reader.TokenType)}";
            else if (result.ContainsKey(key)) error = $"\"dimensions\": \"{Truncate(key)}\" appears twice";
            else if (result.Count == limits.MaxDimensions) error = $"\"dimensions\": more than {limits.MaxDimensions}; the limit is {limits.MaxDimensions}";
            else if (!TryGetString(ref reader, out var value)) error = $"\"dimensions\": the value of \"{Truncate(key)}\" is not valid UTF-8";
            else if (value!.Length > limits.MaxStringLength) error = $"\"dimensions\": \"{Truncate(key)}\" is {value.Length} characters long; the limit is {limits.MaxStringLength}";
            else if (key.Contains('\0') || value.Contains('\0')) error = NulError("dimensions");
            else result.Add(key, value);
            reader.Skip();
        }
        dimensions = result;
        return error;
    }

    /// <summary>PostgreSQL text cannot hold U+0000, so a string with one would fail its whole journal batch later: refuse it here.</summary>
    private static string NulError(string name) => $"\"{name}\" must not contain the NUL character (\\u0000)";

    /// <summary>GetString, or false when the string is not valid UTF-8 (the reader checks structure, not every string's encoding).</summary>
    private static bool TryGetString(ref Utf8JsonReader reader, out string? value)
    {
        try
        {
            value = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    private static string RawNumber(ref Utf8JsonReader reader)
    {
        var raw = Encoding.UTF8.GetString(reader.ValueSpan);
        return raw.Length <= 64 ? raw : raw[..64] + "…";
    }

    private static string MustBe(string name, string expected, ref Utf8JsonReader reader)
    {
        var got = Describe(reader.TokenType);
        reader.Skip();
        return $"\"{name}\" must be {expected}, got {got}";
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a bool",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 64 ? text : text[..64] + "…";

    /// <summary>What one message object said, before the op decides what it must have said.</summary>
    private struct RawMessage
    {
        public WireProperty Seen;
        public string? Op, Entry, Operation, Field, Counter, Name, Slot, Guard, Timer, Mode, Unit, Error, Text;
        public IReadOnlyDictionary<string, string>? Dimensions;
        public TimeSpan? ForceFlushAfter, MaxLifetime;
        public DateTimeOffset? At;
        public JsonTokenType ValueKind;
        public double Number;
        public long Delta;
        public bool Force;
    }
}
