using System.Text.Json;
using Aggregator.Contracts;

namespace Aggregator.Actors.Entries;

/// <summary>Reading: the version first, then every value checked for its kind; anything else is an <see cref="EntryCheckpointFormatException"/> naming what is wrong.</summary>
public static partial class EntryCheckpointCodec
{
    public static EntryCheckpoint Decode(ReadOnlyMemory<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json);
        }
        catch (JsonException exception)
        {
            throw new EntryCheckpointFormatException($"An entry checkpoint must be JSON: {exception.Message}", exception);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new EntryCheckpointFormatException("An entry checkpoint must be a JSON object.");
            if (!root.TryGetProperty("version", out var versionElement) || versionElement.ValueKind != JsonValueKind.Number || !versionElement.TryGetInt32(out var version))
                throw new EntryCheckpointFormatException("An entry checkpoint must start with a numeric \"version\".");
            if (version != Version)
                throw new EntryCheckpointFormatException($"Entry checkpoint version {version} is not supported: this build reads version {Version} only.");
            try
            {
                var entries = Array(root, "entries").Select(ReadEntry).ToList();
                var tombstones = Array(root, "tombstones")
                    .Select(t => new TombstoneSnapshot(String(t, "id"), String(t, "operation"), Required(t, "endedAt").GetDateTimeOffset()))
                    .ToList();
                return new EntryCheckpoint(entries, tombstones);
            }
            catch (Exception exception) when (exception is InvalidOperationException or FormatException and not EntryCheckpointFormatException)
            {
                throw new EntryCheckpointFormatException($"Entry checkpoint version {Version} holds a value of the wrong kind: {exception.Message}", exception);
            }
        }
    }

    private static EntrySnapshot ReadEntry(JsonElement entry)
    {
        var dimensionsElement = Required(entry, "dimensions");
        var dimensions = dimensionsElement.ValueKind == JsonValueKind.Null
            ? null
            : dimensionsElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        return new EntrySnapshot(
            String(entry, "id"),
            String(entry, "operation"),
            dimensions,
            Required(entry, "openedAt").GetDateTimeOffset(),
            Required(entry, "inFlightAtOpen").GetInt64(),
            Instant(entry, "forceFlushAt"),
            Instant(entry, "expiresAt"),
            Required(entry, "ownerReleased").GetBoolean(),
            Required(entry, "forceReleased").GetBoolean(),
            Required(entry, "deadlinePassed").GetBoolean(),
            Array(entry, "guards").Select(ReadGuard).ToList(),
            ReadRecord(Required(entry, "record")),
            Array(entry, "slots").Select(s => new SlotSnapshot(
                String(s, "name"),
                Enum<SlotMode>(s, "mode"),
                Enum<SlotSnapshotStatus>(s, "status"),
                s.TryGetProperty("record", out var record) ? ReadRecord(record) : null)).ToList(),
            Array(entry, "failedSlots").Select(f => f.GetString() ?? "").ToList());
    }

    private static GuardSnapshot ReadGuard(JsonElement guard)
    {
        var count = Required(guard, "count").GetInt32();
        if (count < 1) throw new EntryCheckpointFormatException($"Guard '{String(guard, "name")}' has {count} holdings; a checkpoint lists only guards held at least once.");
        return new GuardSnapshot(String(guard, "name"), count, Required(guard, "force").GetBoolean());
    }

    private static RecordSnapshot ReadRecord(JsonElement record) => new(
        Required(record, "fields").EnumerateObject().ToDictionary(p => p.Name, p => ReadFieldValue(p.Value), StringComparer.Ordinal),
        Required(record, "counters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal),
        Required(record, "distributions").EnumerateObject().ToDictionary(p => p.Name, p => ReadDistribution(p.Name, p.Value), StringComparer.Ordinal),
        Required(record, "timers").EnumerateObject().ToDictionary(
            p => p.Name,
            p => new TimerSnapshot(TimeSpan.FromTicks(Required(p.Value, "elapsedTicks").GetInt64()), Instant(p.Value, "startedAt")),
            StringComparer.Ordinal));

    private static DistributionSnapshot ReadDistribution(string name, JsonElement distribution)
    {
        var count = Required(distribution, "count").GetInt64();
        var retained = Array(distribution, "retained").Select(ReadDouble).ToList();
        if (retained.Count > count) throw new EntryCheckpointFormatException($"Distribution '{name}' retains {retained.Count} observations of only {count}.");
        return new DistributionSnapshot(
            Enum<FieldUnit>(distribution, "unit"),
            count,
            ReadDouble(Required(distribution, "sum")),
            ReadDouble(Required(distribution, "min")),
            ReadDouble(Required(distribution, "max")),
            Required(distribution, "sampler").GetUInt64(),
            retained);
    }

    private static FieldValue ReadFieldValue(JsonElement value)
    {
        var unit = value.TryGetProperty("unit", out _) ? Enum<FieldUnit>(value, "unit") : FieldUnit.None;
        return Enum<FieldKind>(value, "kind") switch
        {
            FieldKind.Number => FieldValue.Of(ReadDouble(Required(value, "value")), unit),
            FieldKind.String => FieldValue.Of(String(value, "value")),
            FieldKind.Bool => FieldValue.Of(Required(value, "value").GetBoolean()),
            FieldKind.Duration => FieldValue.Of(TimeSpan.FromTicks(Required(value, "ticks").GetInt64()), unit),
            FieldKind.Timestamp => FieldValue.Of(Required(value, "value").GetDateTimeOffset()),
            var kind => throw new EntryCheckpointFormatException($"Unknown field kind {kind}."),
        };
    }

    private static double ReadDouble(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => value.GetString() switch
        {
            "NaN" => double.NaN,
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            var other => throw new EntryCheckpointFormatException($"'{other}' is not a number; only \"NaN\", \"Infinity\" and \"-Infinity\" are written as strings."),
        },
        _ => throw new EntryCheckpointFormatException($"Expected a number, got {value.ValueKind}."),
    };

    private static DateTimeOffset? Instant(JsonElement parent, string name)
    {
        var value = Required(parent, name);
        return value.ValueKind == JsonValueKind.Null ? null : value.GetDateTimeOffset();
    }

    private static T Enum<T>(JsonElement parent, string name) where T : struct, Enum
    {
        var text = String(parent, name);
        return System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0]) && text[0] != '-'
            ? value
            : throw new EntryCheckpointFormatException($"'{name}': unknown {typeof(T).Name} '{text}'; expected one of {string.Join(", ", System.Enum.GetNames<T>().Select(n => char.ToLowerInvariant(n[0]) + n[1..]))}.");
    }

    private static string String(JsonElement parent, string name) =>
        Required(parent, name).GetString() ?? throw new EntryCheckpointFormatException($"'{name}' must be a string, not null.");

    private static JsonElement.ArrayEnumerator Array(JsonElement parent, string name)
    {
        var value = Required(parent, name);
        return value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new EntryCheckpointFormatException($"'{name}' must be an array, got {value.ValueKind}.");
    }

    private static JsonElement Required(JsonElement parent, string name)
    {
        if (parent.ValueKind != JsonValueKind.Object) throw new EntryCheckpointFormatException($"Expected an object holding '{name}', got {parent.ValueKind}.");
        return parent.TryGetProperty(name, out var value) ? value : throw new EntryCheckpointFormatException($"'{name}' is missing.");
    }
}

/// <summary>An entry checkpoint that cannot be read: an unknown version, or a value missing or of the wrong kind.</summary>
public sealed class EntryCheckpointFormatException : FormatException
{
    public EntryCheckpointFormatException(string message) : base(message) { }

    public EntryCheckpointFormatException(string message, Exception inner) : base(message, inner) { }
}
