using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Outputs;

/// <summary>Closed entries for output tests, built directly: outputs only see the record, never the actors.</summary>
internal static class OutputEntries
{
    public static readonly DateTimeOffset ClosedAt = new(2026, 11, 21, 10, 0, 0, 250, TimeSpan.Zero);

    public static ClosedEntry Make(
        string id = "e1",
        string operation = "GetDucks",
        IReadOnlyDictionary<string, string>? dimensions = null,
        IReadOnlyDictionary<string, FieldValue>? fields = null,
        IReadOnlyDictionary<string, long>? counters = null,
        IReadOnlyDictionary<string, DistributionSummary>? distributions = null,
        CloseReason reason = CloseReason.Completed,
        IReadOnlyList<string>? pending = null) =>
        new(id, operation,
            dimensions ?? new Dictionary<string, string> { ["service"] = "ducks", ["tenant"] = "t1" },
            fields ?? new Dictionary<string, FieldValue>(),
            counters ?? new Dictionary<string, long>(),
            distributions ?? new Dictionary<string, DistributionSummary>(),
            ClosedAt.AddMilliseconds(-42.5), ClosedAt, reason, pending ?? [], [], 3);

    /// <summary>One entry with every kind of value.</summary>
    public static ClosedEntry Rich(string id = "rich") => Make(
        id,
        fields: new Dictionary<string, FieldValue>
        {
            ["bytesOut"] = FieldValue.Of(2048, FieldUnit.Bytes),
            ["cpu"] = FieldValue.Of(37.5, FieldUnit.Percent),
            ["plain"] = 7,
            ["db.time"] = FieldValue.Of(TimeSpan.FromMilliseconds(12.5)),
            ["cache.time"] = FieldValue.Of(TimeSpan.FromMicroseconds(80), FieldUnit.Microseconds),
            ["user"] = "alice\nsmith",
            ["cached"] = true,
            ["startedAt"] = FieldValue.Of(new DateTimeOffset(2026, 11, 21, 9, 59, 59, TimeSpan.FromHours(1))),
        },
        counters: new Dictionary<string, long> { ["rows"] = 12, ["retries"] = 0 },
        distributions: new Dictionary<string, DistributionSummary>
        {
            ["latency"] = new(4, 10, 1, 4, FieldUnit.Milliseconds, [new(0.5, 2), new(0.99, 4), new(0.999, 4)]),
        },
        pending: ["slot:db"]);

    public static Dictionary<string, FieldValue> NumberFields(int count, string prefix = "m") =>
        Enumerable.Range(0, count).ToDictionary(i => $"{prefix}{i:D3}", i => FieldValue.Of(i, FieldUnit.Count));
}
