using Aggregator.Contracts;

namespace Aggregator.Benchmarks.Persist;

/// <summary>
/// Closed entries shaped like the ones a W1 entry produces (four Wait slots, each flattened as <c>s&lt;i&gt;.a</c> = 1
/// and <c>s&lt;i&gt;.b</c> = "x", counter <c>n</c> = 3, reason Completed) with two dimensions, built before a round's
/// clock starts so the producers measure the sink, not entry construction. Each entry has its own dictionaries, as
/// the entry actor builds them; ids are unique over the whole run (the journal is idempotent by id, so a repeated id
/// would be skipped instead of written).
/// </summary>
internal static class W1ClosedEntries
{
    public const string Operation = "W1";
    public const int Fields = 8;
    public const long Counter = 3;

    private static readonly string[] FieldNames = [.. Enumerable.Range(0, 4).SelectMany(s => new[] { $"s{s}.a", $"s{s}.b" })];
    private static readonly IReadOnlyDictionary<string, DistributionSummary> NoDistributions = new Dictionary<string, DistributionSummary>(0);
    private static readonly string RunPrefix = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
    private static long next;
    private static string? lastId;

    /// <summary>The id of the entry built last (the benchmark reads it back from the store after the run).</summary>
    public static string? LastId => Volatile.Read(ref lastId);

    public static ClosedEntry[] Build(int count)
    {
        var entries = new ClosedEntry[count];
        var closedAt = DateTimeOffset.UtcNow;
        for (var i = 0; i < count; i++) entries[i] = One(closedAt);
        return entries;
    }

    public static ClosedEntry One(DateTimeOffset closedAt)
    {
        var id = $"{RunPrefix}-{Interlocked.Increment(ref next):x}";
        Volatile.Write(ref lastId, id);
        var fields = new Dictionary<string, FieldValue>(Fields, StringComparer.Ordinal);
        for (var f = 0; f < FieldNames.Length; f += 2)
        {
            fields[FieldNames[f]] = FieldValue.Of(1);
            fields[FieldNames[f + 1]] = FieldValue.Of("x");
        }
        return new ClosedEntry(
            id,
            Operation,
            new Dictionary<string, string>(2, StringComparer.Ordinal) { ["region"] = "eu-west-1", ["host"] = "bench-1" },
            fields,
            new Dictionary<string, long>(1, StringComparer.Ordinal) { ["n"] = Counter },
            NoDistributions,
            closedAt - TimeSpan.FromMicroseconds(80),
            closedAt,
            CloseReason.Completed,
            [],
            [],
            InFlightAtOpen: 17);
    }

    /// <summary>What the store must give back for one of these: the shape survived the round trip.</summary>
    public static bool Matches(ClosedEntry? entry) =>
        entry is { CloseReason: CloseReason.Completed, Operation: Operation, Dimensions.Count: 2 }
        && entry.Fields.Count == Fields
        && entry.Counters.TryGetValue("n", out var n) && n == Counter;
}
