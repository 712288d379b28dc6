namespace Aggregator.Contracts.Tests;

/// <summary>One instance of every protocol record, with non-default values wherever a record has an optional part.</summary>
internal static class Samples
{
    public static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<IEntryMessage> EveryMessage() =>
    [
        new Open("e1", "checkout", new Dictionary<string, string> { ["region"] = "eu-west-1", ["Tenant.Id"] = "42" }, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)),
        new Set("e1", "status", 200),
        new Add("e1", "retries", 3),
        new Observe("e1", "latency", 12.5, FieldUnit.Milliseconds),
        new StartTimer("e1", "db", At),
        new StopTimer("e1", "db", At.AddTicks(1234567)),
        new Close("e1"),
        new Discard("e1"),
        new OpenSlot("e1", "payment", SlotMode.Discard),
        new SlotSet("e1", "payment", "provider", "stripe"),
        new SlotAdd("e1", "payment", "attempts", long.MaxValue),
        new SlotObserve("e1", "payment", "size", 1024, FieldUnit.Bytes),
        new CompleteSlot("e1", "payment"),
        new FailSlot("e1", "payment", "card declined"),
        new AcquireGuard("e1", "flush", Force: true),
        new ReleaseGuard("e1", "flush"),
    ];

    /// <summary>Every FieldValue kind, every unit a kind can carry, and the awkward edges (non-finite, -0, sub-ms, offsets).</summary>
    public static IReadOnlyDictionary<string, FieldValue> EveryFieldShape() => new Dictionary<string, FieldValue>
    {
        ["number"] = 3.25,
        ["integer"] = 42L,
        ["negativeZero"] = -0.0,
        ["nan"] = double.NaN,
        ["infinity"] = FieldValue.Of(double.PositiveInfinity, FieldUnit.Percent),
        ["bytes"] = FieldValue.Of(4096, FieldUnit.Bytes),
        ["count"] = FieldValue.Of(7, FieldUnit.Count),
        ["percent"] = FieldValue.Of(99.9, FieldUnit.Percent),
        ["numberMs"] = FieldValue.Of(1.5, FieldUnit.Milliseconds),
        ["numberUs"] = FieldValue.Of(250, FieldUnit.Microseconds),
        ["numberS"] = FieldValue.Of(2, FieldUnit.Seconds),
        ["text"] = "héllo \"world\"\n✓",
        ["empty"] = "",
        ["yes"] = true,
        ["no"] = false,
        ["durationMs"] = TimeSpan.FromTicks(125_001),
        ["durationUs"] = FieldValue.Of(TimeSpan.FromTicks(-7), FieldUnit.Microseconds),
        ["durationS"] = FieldValue.Of(TimeSpan.FromTicks(123_456_789), FieldUnit.Seconds),
        ["durationMax"] = TimeSpan.MaxValue,
        ["durationMin"] = FieldValue.Of(TimeSpan.MinValue, FieldUnit.Seconds),
        ["durationLabelled"] = FieldValue.Of(TimeSpan.FromMilliseconds(3), FieldUnit.Count),
        ["durationNone"] = FieldValue.Of(TimeSpan.FromMilliseconds(3), FieldUnit.None),
        ["timestampUtc"] = At,
        ["timestampOffset"] = new DateTimeOffset(2026, 11, 21, 11, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(1),
    };

    public static ClosedEntry FullEntry() => new(
        Id: "e1",
        Operation: "checkout",
        Dimensions: new Dictionary<string, string> { ["region"] = "eu-west-1", ["host"] = "web-3" },
        Fields: EveryFieldShape(),
        Counters: new Dictionary<string, long> { ["retries"] = 2, ["payment.attempts"] = long.MinValue },
        Distributions: new Dictionary<string, DistributionSummary>
        {
            ["latency"] = new(4, 50.5, 1.25, 30, FieldUnit.Milliseconds, [new(0.5, 9.5), new(0.99, 30)]),
            ["empty"] = new(0, 0, double.PositiveInfinity, double.NegativeInfinity, FieldUnit.None, []),
        },
        OpenedAt: At,
        ClosedAt: At.AddMilliseconds(1500.5),
        CloseReason: CloseReason.ForceFlushed,
        Pending: ["guard:flush", "slot:audit"],
        FailedSlots: ["payment"],
        InFlightAtOpen: 17);
}
