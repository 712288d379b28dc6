using System.Globalization;
using Aggregator.Contracts;

namespace Aggregator.Actors.Sinks.Outputs;

/// <summary>
/// Decides, for one entry, what its EMF documents hold: which dimension sets apply, which values become metrics
/// (and which are dropped, and why), and which top-level names are taken. Every document of the entry shares this
/// layout, so the split documents agree with each other. Reused entry after entry under the output's lock.
/// Top-level names go first come, first served: EMF's own and the fixed members, then the entry's dimensions,
/// then metrics, then the other fields; a metric whose name is taken is dropped (two members of one name would make
/// the document invalid JSON for CloudWatch), a plain field whose name is taken is left out.
/// </summary>
internal sealed class EmfEntryLayout(EmfSettings settings)
{
    /// <summary>Dimension values CloudWatch accepts: 1 to 1024 characters; other values make the set not apply.</summary>
    public const int DimensionValueLength = 1024;

    private static readonly string[] Reserved =
        [EmfLimits.MetadataMember, EmfSettings.EntryIdMember, EmfSettings.OperationMember, EmfSettings.CloseReasonMember];

    private readonly HashSet<string>? filter = settings.Metrics is null ? null : new(settings.Metrics, StringComparer.Ordinal);
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);

    public ClosedEntry Entry { get; private set; } = null!;

    public string CloseReasonName { get; private set; } = "";

    public List<EmfMetric> Metrics { get; } = [];

    /// <summary>Groups of applicable dimension sets, each group's distinct names at most 30; one group holding one empty set when none applies.</summary>
    public List<List<IReadOnlyList<string>>> DimensionGroups { get; } = [];

    /// <summary>Entry dimensions written as top-level strings (all of them but reserved names).</summary>
    public List<KeyValuePair<string, string>> Dimensions { get; } = [];

    /// <summary>String, bool and timestamp fields written as plain members.</summary>
    public List<KeyValuePair<string, FieldValue>> Properties { get; } = [];

    public bool WritePending { get; private set; }

    public bool WriteFailedSlots { get; private set; }

    public int InvalidNames { get; private set; }

    public int NonFiniteValues { get; private set; }

    public int NameClashes { get; private set; }

    public int Dropped => InvalidNames + NonFiniteValues + NameClashes;

    public void Lay(ClosedEntry entry)
    {
        Entry = entry;
        CloseReasonName = CloseReasonText(entry.CloseReason);
        Metrics.Clear();
        DimensionGroups.Clear();
        Dimensions.Clear();
        Properties.Clear();
        InvalidNames = NonFiniteValues = NameClashes = 0;
        taken.Clear();
        foreach (var name in Reserved) taken.Add(name);

        foreach (var dimension in entry.Dimensions)
            if (IsWellFormed(dimension.Key) && taken.Add(dimension.Key)) Dimensions.Add(dimension);

        GroupApplicableSets();
        CollectMetrics();

        foreach (var (name, value) in entry.Fields)
            if ((value.Kind is FieldKind.String or FieldKind.Bool or FieldKind.Timestamp) && IsWellFormed(name) && taken.Add(name))
                Properties.Add(new(name, value));
        WritePending = entry.Pending.Count > 0 && taken.Add(nameof(ClosedEntry.Pending));
        WriteFailedSlots = entry.FailedSlots.Count > 0 && taken.Add(nameof(ClosedEntry.FailedSlots));
    }

    /// <summary>The value a dimension set takes for <paramref name="name"/>, or null when the entry has none CloudWatch accepts.</summary>
    public string? DimensionValue(string name)
    {
        var value = name switch
        {
            EmfSettings.OperationMember => Entry.Operation,
            EmfSettings.CloseReasonMember => CloseReasonName,
            _ => Entry.Dimensions.GetValueOrDefault(name),
        };
        return value is { Length: > 0 and <= DimensionValueLength } ? value : null;
    }

    private void GroupApplicableSets()
    {
        var union = new HashSet<string>(StringComparer.Ordinal);
        var unions = new List<HashSet<string>>();
        foreach (var set in settings.DimensionSets)
        {
            if (!set.All(name => DimensionValue(name) is not null)) continue;
            var placed = false;
            for (var g = 0; g < DimensionGroups.Count && !placed; g++)
            {
                union.Clear();
                union.UnionWith(unions[g]);
                union.UnionWith(set);
                if (union.Count > EmfLimits.DimensionsPerSet) continue;
                unions[g].UnionWith(set);
                DimensionGroups[g].Add(set);
                placed = true;
            }
            if (placed) continue;
            unions.Add(new HashSet<string>(set, StringComparer.Ordinal));
            DimensionGroups.Add([set]);
        }
        if (DimensionGroups.Count == 0) DimensionGroups.Add([Array.Empty<string>()]);
    }

    private void CollectMetrics()
    {
        Add(EmfSettings.DurationMetric, EmfSettings.DurationMetric, "Milliseconds", Entry.Duration.TotalMilliseconds);
        foreach (var (name, value) in Entry.Fields)
        {
            switch (value.Kind)
            {
                case FieldKind.Number:
                    Add(name, name, EmfUnits.Of(value.Unit), value.Number);
                    break;
                case FieldKind.Duration:
                    var (amount, unit) = value.Unit switch
                    {
                        FieldUnit.Microseconds => (value.Duration.TotalMicroseconds, "Microseconds"),
                        FieldUnit.Seconds => (value.Duration.TotalSeconds, "Seconds"),
                        _ => (value.Duration.TotalMilliseconds, "Milliseconds"),
                    };
                    Add(name, name, unit, amount);
                    break;
            }
        }
        foreach (var (name, count) in Entry.Counters)
            Add(name, name, "Count", count);
        foreach (var (name, summary) in Entry.Distributions)
        {
            var unit = EmfUnits.Of(summary.Unit);
            Add(name + ".count", name, "Count", summary.Count);
            Add(name + ".sum", name, unit, summary.Sum);
            if (summary.Count == 0) continue; // min, max and quantiles of nothing are not values
            Add(name + ".min", name, unit, summary.Min);
            Add(name + ".max", name, unit, summary.Max);
            foreach (var quantile in summary.Quantiles)
                Add(name + ".p" + (quantile.Quantile * 100).ToString("0.###", CultureInfo.InvariantCulture), name, unit, quantile.Value);
        }
    }

    private void Add(string name, string source, string unit, double value)
    {
        if (filter is not null && !filter.Contains(source) && !filter.Contains(name)) return;
        if (name.Length is 0 or > EmfLimits.NameLength || !IsWellFormed(name)) InvalidNames++;
        else if (!double.IsFinite(value)) NonFiniteValues++;
        else if (!taken.Add(name)) NameClashes++;
        else Metrics.Add(new(name, unit, value));
    }

    /// <summary>
    /// False for a name with a lone surrogate: the JSON writer replaces it with U+FFFD, so two such names could
    /// become one member name, and the document invalid.
    /// </summary>
    private static bool IsWellFormed(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (!char.IsSurrogate(name[i])) continue;
            if (!char.IsHighSurrogate(name[i]) || i + 1 == name.Length || !char.IsLowSurrogate(name[i + 1])) return false;
            i++;
        }
        return true;
    }

    private static string CloseReasonText(CloseReason reason) => reason switch
    {
        CloseReason.Completed => "completed",
        CloseReason.ForceFlushed => "forceFlushed",
        CloseReason.TimedOut => "timedOut",
        CloseReason.Expired => "expired",
        CloseReason.Shutdown => "shutdown",
        _ => reason.ToString(),
    };
}
