using System.Text;
using Aggregator.Actors.Entries;
using Aggregator.Contracts;

namespace Aggregator.Actors.Tests.Entries;

/// <summary>The checkpoint's JSON: versioned, strict about what it reads, and exact for every value kind.</summary>
public sealed class CheckpointCodecTests
{
    private static readonly DateTimeOffset At = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(-3)).AddTicks(1_234_567);

    [Fact]
    public void The_JSON_names_its_version_and_round_trips_every_value_exactly()
    {
        var checkpoint = Sample();
        var json = EntryCheckpointCodec.Encode(checkpoint);
        Assert.StartsWith("{\"version\":1,", Encoding.UTF8.GetString(json));

        var decoded = EntryCheckpointCodec.Decode(json);
        Assert.Equal(json, EntryCheckpointCodec.Encode(decoded));

        Assert.Equal(2, decoded.Entries.Count);
        var (entry, original) = (decoded.Entries[0], checkpoint.Entries[0]);
        Assert.Equal(original.Record.Fields.OrderBy(f => f.Key), entry.Record.Fields.OrderBy(f => f.Key));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(entry.Record.Fields["negativeZero"].Number));
        Assert.Equal(TimeSpan.FromHours(-3), entry.Record.Fields["at"].Timestamp.Offset);
        var distribution = entry.Record.Distributions["latency"];
        Assert.Equal((FieldUnit.Microseconds, 9L, double.PositiveInfinity, 1e-300, double.MaxValue, ulong.MaxValue - 7),
            (distribution.Unit, distribution.Count, distribution.Sum, distribution.Min, distribution.Max, distribution.Sampler));
        Assert.Equal([1e-300, 0.1 + 0.2, double.MaxValue], distribution.Retained);
        Assert.Equal(new TimerSnapshot(TimeSpan.FromTicks(3), At), entry.Record.Timers["running"]);
        Assert.Equal(new TimerSnapshot(TimeSpan.FromTicks(77), null), entry.Record.Timers["stopped"]);
        Assert.Equal(original.Guards, entry.Guards);
        Assert.Equal(original.Slots.Select(s => (s.Name, s.Mode, s.Status, s.Record is null)), entry.Slots.Select(s => (s.Name, s.Mode, s.Status, s.Record is null)));
        Assert.Equal(2, entry.Slots[0].Record!.Counters["rows"]);
        Assert.Equal(original.FailedSlots, entry.FailedSlots);
        Assert.Equal((original.OpenedAt, original.ForceFlushAt, original.ExpiresAt, original.InFlightAtOpen), (entry.OpenedAt, entry.ForceFlushAt, entry.ExpiresAt, entry.InFlightAtOpen));
        Assert.Equal((true, false, true), (entry.OwnerReleased, entry.ForceReleased, entry.DeadlinePassed));
        Assert.Equal(original.Dimensions, entry.Dimensions);
        Assert.Null(decoded.Entries[1].Dimensions);
        Assert.Equal(checkpoint.Tombstones, decoded.Tombstones);
    }

    [Fact]
    public void Every_unit_survives_on_field_values_and_distributions()
    {
        foreach (var unit in Enum.GetValues<FieldUnit>())
        {
            var record = new RecordSnapshot(
                new Dictionary<string, FieldValue> { ["n"] = FieldValue.Of(1.5, unit), ["d"] = FieldValue.Of(TimeSpan.FromSeconds(2), unit) },
                new Dictionary<string, long>(),
                new Dictionary<string, DistributionSnapshot> { ["x"] = new(unit, 1, 2, 2, 2, 1, [2.0]) },
                new Dictionary<string, TimerSnapshot>());
            var decoded = EntryCheckpointCodec.Decode(EntryCheckpointCodec.Encode(new EntryCheckpoint([Entry("e", record)], []))).Entries[0].Record;
            Assert.Equal(FieldValue.Of(1.5, unit), decoded.Fields["n"]);
            Assert.Equal(FieldValue.Of(TimeSpan.FromSeconds(2), unit), decoded.Fields["d"]);
            Assert.Equal(unit, decoded.Distributions["x"].Unit);
        }
    }

    [Theory]
    [InlineData("{\"version\":2,\"entries\":[],\"tombstones\":[]}", "Entry checkpoint version 2 is not supported: this build reads version 1 only.")]
    [InlineData("{\"version\":0,\"entries\":[],\"tombstones\":[]}", "Entry checkpoint version 0 is not supported: this build reads version 1 only.")]
    [InlineData("{\"entries\":[],\"tombstones\":[]}", "An entry checkpoint must start with a numeric \"version\".")]
    [InlineData("{\"version\":\"1\"}", "An entry checkpoint must start with a numeric \"version\".")]
    [InlineData("[1]", "An entry checkpoint must be a JSON object.")]
    [InlineData("{\"version\":1,\"entries\":[]}", "'tombstones' is missing.")]
    public void An_unknown_version_or_a_broken_document_is_refused_with_a_clear_message(string json, string message)
    {
        var error = Assert.Throws<EntryCheckpointFormatException>(() => EntryCheckpointCodec.Decode(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_refused_not_guessed()
    {
        var json = Encoding.UTF8.GetString(EntryCheckpointCodec.Encode(Sample()));
        Assert.Throws<EntryCheckpointFormatException>(() => EntryCheckpointCodec.Decode(Encoding.UTF8.GetBytes(json.Replace("\"mode\":\"wait\"", "\"mode\":\"sometimes\""))));
        Assert.Throws<EntryCheckpointFormatException>(() => EntryCheckpointCodec.Decode(Encoding.UTF8.GetBytes(json.Replace("\"inFlightAtOpen\":4", "\"inFlightAtOpen\":\"4\""))));
        Assert.Throws<EntryCheckpointFormatException>(() => EntryCheckpointCodec.Decode(Encoding.UTF8.GetBytes(json[..^5])));
    }

    private static EntryCheckpoint Sample()
    {
        var fields = new Dictionary<string, FieldValue>
        {
            ["number"] = FieldValue.Of(0.1 + 0.2, FieldUnit.Milliseconds),
            ["negativeZero"] = FieldValue.Of(-0.0),
            ["nan"] = FieldValue.Of(double.NaN),
            ["inf"] = FieldValue.Of(double.PositiveInfinity, FieldUnit.Seconds),
            ["-inf"] = FieldValue.Of(double.NegativeInfinity),
            ["tiny"] = FieldValue.Of(double.Epsilon),
            ["big"] = FieldValue.Of(long.MaxValue),
            ["text"] = FieldValue.Of("ünïcødé \"quoted\" \n 🦆"),
            ["empty"] = FieldValue.Of(""),
            ["yes"] = FieldValue.Of(true),
            ["no"] = FieldValue.Of(false),
            ["duration"] = FieldValue.Of(TimeSpan.FromTicks(12_345_678_901), FieldUnit.Seconds),
            ["negative duration"] = FieldValue.Of(TimeSpan.FromTicks(-5)),
            ["at"] = FieldValue.Of(At),
            ["utc"] = FieldValue.Of(At.ToUniversalTime()),
        };
        var record = new RecordSnapshot(
            fields,
            new Dictionary<string, long> { ["n"] = long.MinValue, ["m"] = 42 },
            new Dictionary<string, DistributionSnapshot> { ["latency"] = new(FieldUnit.Microseconds, 9, double.PositiveInfinity, 1e-300, double.MaxValue, ulong.MaxValue - 7, [1e-300, 0.1 + 0.2, double.MaxValue]) },
            new Dictionary<string, TimerSnapshot> { ["running"] = new(TimeSpan.FromTicks(3), At), ["stopped"] = new(TimeSpan.FromTicks(77), null) });
        var slotRecord = RecordSnapshot.Empty with { Counters = new Dictionary<string, long> { ["rows"] = 2 } };
        var entry = Entry("e/1", record) with
        {
            Dimensions = new Dictionary<string, string> { ["tenant"] = "t1", ["région"] = "eu" },
            ForceFlushAt = At.AddSeconds(30),
            OwnerReleased = true,
            DeadlinePassed = true,
            Guards = [new GuardSnapshot("upload", 2, false), new GuardSnapshot("stop", 1, true)],
            Slots =
            [
                new SlotSnapshot("db", SlotMode.Wait, SlotSnapshotStatus.Open, slotRecord),
                new SlotSnapshot("cache", SlotMode.Discard, SlotSnapshotStatus.Completing, RecordSnapshot.Empty),
                new SlotSnapshot("gone", SlotMode.Wait, SlotSnapshotStatus.Failing, null),
                new SlotSnapshot("done", SlotMode.Wait, SlotSnapshotStatus.Completed, null),
                new SlotSnapshot("crash", SlotMode.Discard, SlotSnapshotStatus.Failed, null),
            ],
            FailedSlots = ["crash"],
        };
        return new EntryCheckpoint([entry, Entry("plain", RecordSnapshot.Empty)], [new TombstoneSnapshot("old", "Op", At), new TombstoneSnapshot("older", "Other", At.AddMinutes(-1))]);
    }

    private static EntrySnapshot Entry(string id, RecordSnapshot record) =>
        new(id, "Op", null, At, 4, null, At.AddMinutes(5), false, false, false, [], record, [], []);
}
