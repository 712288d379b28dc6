namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// What <see cref="EmfOutput"/> publishes: the CloudWatch namespace, the dimension sets each metric is published
/// under, and which entry values become metrics. Invalid settings are refused when the output is built, since a
/// bad dimension set would otherwise make CloudWatch drop every document silently.
/// </summary>
public sealed record EmfSettings
{
    /// <summary>The top-level members every document carries; a dimension set may name only the last two of them.</summary>
    public const string EntryIdMember = "EntryId";
    public const string OperationMember = "Operation";
    public const string CloseReasonMember = "CloseReason";

    /// <summary>The entry's wall-clock duration (closedAt - openedAt), published as a metric in Milliseconds unless filtered out by <see cref="Metrics"/>.</summary>
    public const string DurationMetric = "Duration";

    public required string Namespace { get; init; }

    /// <summary>
    /// Lists of dimension names, each at most 30. Values come from the entry's dimensions; <c>Operation</c> and
    /// <c>CloseReason</c> name the entry's own operation and close reason. An entry lacking a name of a set skips that
    /// set; an entry no set applies to (or no sets at all) is published without dimensions (<c>[[]]</c>), so its
    /// metrics are not lost.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> DimensionSets { get; init; } = [];

    /// <summary>
    /// Entry value names that become metrics (field, counter or distribution names, <see cref="DurationMetric"/>, or
    /// one published name such as <c>latency.p99</c>); null: every number, duration, counter and distribution.
    /// </summary>
    public IReadOnlyList<string>? Metrics { get; init; }

    /// <summary>Every problem, each naming the setting (and the set, for dimension sets); empty when valid.</summary>
    public IReadOnlyList<string> Validate(string prefix = "")
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Namespace) || Namespace.Length > EmfLimits.NameLength)
            errors.Add($"{prefix}Namespace: '{Namespace}' must be 1 to {EmfLimits.NameLength} characters");
        else if (Namespace.StartsWith("AWS/", StringComparison.Ordinal))
            errors.Add($"{prefix}Namespace: '{Namespace}' starts with 'AWS/', which CloudWatch reserves for AWS services");

        if (DimensionSets is null)
        {
            errors.Add($"{prefix}DimensionSets: null; use an empty list for metrics without dimensions");
            return errors;
        }
        for (var i = 0; i < DimensionSets.Count; i++)
        {
            var set = DimensionSets[i];
            var label = $"{prefix}DimensionSets[{i}]";
            if (set is null)
            {
                errors.Add($"{label}: null");
                continue;
            }
            var shown = $"[{string.Join(", ", set)}]";
            if (set.Count > EmfLimits.DimensionsPerSet)
                errors.Add($"{label} {shown} has {set.Count} dimensions; EMF allows at most {EmfLimits.DimensionsPerSet} per set");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in set)
            {
                if (string.IsNullOrEmpty(name) || name.Length > EmfLimits.NameLength)
                    errors.Add($"{label} {shown}: dimension name '{name}' must be 1 to {EmfLimits.NameLength} characters");
                else if (name is EmfLimits.MetadataMember or EntryIdMember)
                    errors.Add($"{label} {shown}: '{name}' cannot be a dimension ({(name == EntryIdMember ? "one metric series per entry" : "reserved for EMF metadata")})");
                else if (!seen.Add(name))
                    errors.Add($"{label} {shown}: dimension '{name}' appears twice");
            }
        }
        return errors;
    }
}
