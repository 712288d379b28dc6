using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Aggregator.Actors.Persistence.Sqlite;

/// <summary>
/// An aggregate row's dimension set as a flat JSON object of strings, so the column stays readable with the sqlite3
/// shell and json_extract. Written and read by hand: a string map needs no serializer metadata.
/// </summary>
internal static class DimensionsJson
{
    public static string Write(IReadOnlyDictionary<string, string> dimensions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in dimensions.OrderBy(pair => pair.Key, StringComparer.Ordinal)) writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <exception cref="JsonException">The text is not a JSON object of strings.</exception>
    public static IReadOnlyDictionary<string, string> Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException($"dimensions: got {document.RootElement.ValueKind}; expected an object");
        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) throw new JsonException($"dimensions.{property.Name}: got {property.Value.ValueKind}; expected a string");
            dimensions[property.Name] = property.Value.GetString()!;
        }
        return dimensions;
    }
}
