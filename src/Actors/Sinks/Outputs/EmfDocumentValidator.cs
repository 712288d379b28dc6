using System.Text;
using System.Text.Json;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Checks a document against the embedded metric format's structure and limits, the way CloudWatch would before
/// extracting metrics — CloudWatch itself only drops an invalid document's metrics silently, so this is how tests
/// (and an operator debugging a missing metric) find out why. Reports every problem with its location, not just the first.
/// Rules: a JSON object with <c>_aws</c> holding an integer <c>Timestamp</c> (ms since the epoch) and a
/// <c>CloudWatchMetrics</c> array; each directive has a <c>Namespace</c> of 1–255 characters, <c>Dimensions</c>
/// (arrays of at most 30 dimension names, each a top-level string member of 1–1024 characters) and <c>Metrics</c>
/// (at most 100, each with a 1–255 character <c>Name</c> that is a top-level member holding a number or an array of
/// 1–100 numbers, an optional known <c>Unit</c> and an optional <c>StorageResolution</c> of 1 or 60). Conservative
/// extras: no duplicate members at the top level, no metric named twice in a directive, at most 30 distinct
/// dimension names in the whole document.
/// </summary>
public static class EmfDocumentValidator
{
    public static IReadOnlyList<string> Validate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return Validate(Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Every problem found; empty when the document is valid.</summary>
    public static IReadOnlyList<string> Validate(ReadOnlySpan<byte> utf8)
    {
        var errors = new List<string>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException ex)
        {
            errors.Add($"$: not JSON ({ex.Message})");
            return errors;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"$: expected an object, got {root.ValueKind}");
                return errors;
            }
            var members = TopLevelMembers(root, errors);
            if (!members.TryGetValue(EmfLimits.MetadataMember, out var aws) || aws.ValueKind != JsonValueKind.Object)
            {
                errors.Add("$._aws: required, an object");
                return errors;
            }
            CheckMetadata(aws, members, errors);
        }
        return errors;
    }

    /// <summary>Throws with every problem and the document when it is invalid.</summary>
    public static void ThrowIfInvalid(string json)
    {
        var errors = Validate(json);
        if (errors.Count > 0) throw new InvalidDataException($"Invalid EMF document: {string.Join("; ", errors)}{Environment.NewLine}{json}");
    }

    private static Dictionary<string, JsonElement> TopLevelMembers(JsonElement root, List<string> errors)
    {
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
            if (!members.TryAdd(member.Name, member.Value))
                errors.Add($"$['{member.Name}']: appears more than once");
        return members;
    }

    private static void CheckMetadata(JsonElement aws, Dictionary<string, JsonElement> members, List<string> errors)
    {
        if (!aws.TryGetProperty("Timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out var ms) || ms < 0)
            errors.Add("$._aws.Timestamp: required, a non-negative integer (milliseconds since the epoch)");
        if (!aws.TryGetProperty("CloudWatchMetrics", out var directives) || directives.ValueKind != JsonValueKind.Array)
        {
            errors.Add("$._aws.CloudWatchMetrics: required, an array");
            return;
        }
        var dimensionKeys = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var directive in directives.EnumerateArray())
            CheckDirective(directive, $"$._aws.CloudWatchMetrics[{index++}]", members, dimensionKeys, errors);
        if (dimensionKeys.Count > EmfLimits.DimensionsPerSet)
            errors.Add($"$._aws.CloudWatchMetrics: {dimensionKeys.Count} distinct dimension names in the document; at most {EmfLimits.DimensionsPerSet}");
    }

    private static void CheckDirective(JsonElement directive, string at, Dictionary<string, JsonElement> members, HashSet<string> dimensionKeys, List<string> errors)
    {
        if (directive.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{at}: expected an object");
            return;
        }
        if (!directive.TryGetProperty("Namespace", out var ns) || ns.ValueKind != JsonValueKind.String || ns.GetString()!.Length is 0 or > EmfLimits.NameLength)
            errors.Add($"{at}.Namespace: required, a string of 1 to {EmfLimits.NameLength} characters");
        CheckDimensions(directive, at, members, dimensionKeys, errors);
        CheckMetrics(directive, at, members, errors);
    }

    private static void CheckDimensions(JsonElement directive, string at, Dictionary<string, JsonElement> members, HashSet<string> dimensionKeys, List<string> errors)
    {
        if (!directive.TryGetProperty("Dimensions", out var sets) || sets.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}.Dimensions: required, an array of arrays of dimension names");
            return;
        }
        var s = 0;
        foreach (var set in sets.EnumerateArray())
        {
            var setAt = $"{at}.Dimensions[{s++}]";
            if (set.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{setAt}: expected an array of dimension names");
                continue;
            }
            if (set.GetArrayLength() > EmfLimits.DimensionsPerSet)
                errors.Add($"{setAt}: {set.GetArrayLength()} dimensions; at most {EmfLimits.DimensionsPerSet}");
            var n = 0;
            foreach (var name in set.EnumerateArray())
            {
                var nameAt = $"{setAt}[{n++}]";
                if (name.ValueKind != JsonValueKind.String || name.GetString()!.Length is 0 or > EmfLimits.NameLength)
                {
                    errors.Add($"{nameAt}: expected a dimension name of 1 to {EmfLimits.NameLength} characters");
                    continue;
                }
                var key = name.GetString()!;
                dimensionKeys.Add(key);
                if (!members.TryGetValue(key, out var value) || value.ValueKind != JsonValueKind.String)
                    errors.Add($"{nameAt}: dimension '{key}' has no top-level string member");
                else if (value.GetString()!.Length is 0 or > EmfEntryLayout.DimensionValueLength)
                    errors.Add($"{nameAt}: dimension '{key}' has a value of {value.GetString()!.Length} characters; expected 1 to {EmfEntryLayout.DimensionValueLength}");
            }
        }
    }

    private static void CheckMetrics(JsonElement directive, string at, Dictionary<string, JsonElement> members, List<string> errors)
    {
        if (!directive.TryGetProperty("Metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}.Metrics: required, an array of metric definitions");
            return;
        }
        if (metrics.GetArrayLength() > EmfLimits.MetricsPerDocument)
            errors.Add($"{at}.Metrics: {metrics.GetArrayLength()} metrics; at most {EmfLimits.MetricsPerDocument}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var m = 0;
        foreach (var metric in metrics.EnumerateArray())
        {
            var metricAt = $"{at}.Metrics[{m++}]";
            if (metric.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{metricAt}: expected an object");
                continue;
            }
            if (!metric.TryGetProperty("Name", out var nameElement) || nameElement.ValueKind != JsonValueKind.String || nameElement.GetString()!.Length is 0 or > EmfLimits.NameLength)
                errors.Add($"{metricAt}.Name: required, a string of 1 to {EmfLimits.NameLength} characters");
            else
            {
                var name = nameElement.GetString()!;
                if (!names.Add(name)) errors.Add($"{metricAt}.Name: '{name}' defined twice");
                if (!members.TryGetValue(name, out var value)) errors.Add($"{metricAt}: metric '{name}' has no top-level member");
                else CheckValue(value, $"$['{name}']", errors);
            }
            if (metric.TryGetProperty("Unit", out var unit) && (unit.ValueKind != JsonValueKind.String || !EmfUnits.Valid.Contains(unit.GetString()!)))
                errors.Add($"{metricAt}.Unit: {unit.GetRawText()} is not a CloudWatch unit");
            if (metric.TryGetProperty("StorageResolution", out var resolution)
                && !(resolution.ValueKind == JsonValueKind.Number && resolution.TryGetInt32(out var r) && r is 1 or 60))
                errors.Add($"{metricAt}.StorageResolution: {resolution.GetRawText()}; expected 1 or 60");
        }
    }

    private static void CheckValue(JsonElement value, string at, List<string> errors)
    {
        if (value.ValueKind == JsonValueKind.Number) return;
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{at}: {value.GetRawText()} is not a number or an array of numbers");
            return;
        }
        var count = value.GetArrayLength();
        if (count is 0 or > EmfLimits.ValuesPerMetric)
            errors.Add($"{at}: an array of {count} values; expected 1 to {EmfLimits.ValuesPerMetric}");
        foreach (var item in value.EnumerateArray())
            if (item.ValueKind != JsonValueKind.Number)
            {
                errors.Add($"{at}: array holds {item.GetRawText()}, not a number");
                break;
            }
    }
}
