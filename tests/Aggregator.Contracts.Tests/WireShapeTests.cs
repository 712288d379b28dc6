using System.Text.Json;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Tests;

/// <summary>Pins the wire format byte for byte: producers in other languages are written against these shapes (docs/wire.md).</summary>
public sealed class WireShapeTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Every shape of the issue, exactly as written there, and the message the writer writes it from.</summary>
    public static TheoryData<string, IEntryMessage> IssueShapes() => new()
    {
        { """{"op":"open","entry":"e-1","operation":"GetItem","dimensions":{"Region":"eu"},"forceFlushAfterMs":30000,"maxLifetimeMs":300000}""",
            new Open("e-1", "GetItem", new Dictionary<string, string> { ["Region"] = "eu" }, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5)) },
        { """{"op":"set","entry":"e-1","field":"Status","value":"ok"}""", new Set("e-1", "Status", "ok") },
        { """{"op":"add","entry":"e-1","counter":"Retries","delta":1}""", new Add("e-1", "Retries", 1) },
        { """{"op":"observe","entry":"e-1","name":"DownstreamMs","value":12.5}""", new Observe("e-1", "DownstreamMs", 12.5) },
        { """{"op":"openSlot","entry":"e-1","slot":"Db","mode":"wait"}""", new OpenSlot("e-1", "Db", SlotMode.Wait) },
        { """{"op":"set","entry":"e-1","slot":"Db","field":"Rows","value":3}""", new SlotSet("e-1", "Db", "Rows", 3) },
        { """{"op":"completeSlot","entry":"e-1","slot":"Db"}""", new CompleteSlot("e-1", "Db") },
        { """{"op":"failSlot","entry":"e-1","slot":"Db","error":"timeout"}""", new FailSlot("e-1", "Db", "timeout") },
        { """{"op":"acquireGuard","entry":"e-1","guard":"g1","force":false}""", new AcquireGuard("e-1", "g1", Force: false) },
        { """{"op":"releaseGuard","entry":"e-1","guard":"g1"}""", new ReleaseGuard("e-1", "g1") },
        { """{"op":"close","entry":"e-1"}""", new Close("e-1") },
        { """{"op":"discard","entry":"e-1"}""", new Discard("e-1") },
    };

    /// <summary>The variants the issue names in words (value kinds, modes, units, slot on add/observe) and ours (timers).</summary>
    public static TheoryData<string, IEntryMessage> OtherShapes() => new()
    {
        { """{"op":"set","entry":"e-1","field":"Cached","value":true}""", new Set("e-1", "Cached", true) },
        { """{"op":"set","entry":"e-1","field":"Size","value":4096,"unit":"bytes"}""", new Set("e-1", "Size", FieldValue.Of(4096, FieldUnit.Bytes)) },
        { """{"op":"set","entry":"e-1","field":"Took","value":12.5,"unit":"ms"}""", new Set("e-1", "Took", FieldValue.Of(12.5, FieldUnit.Milliseconds)) },
        { """{"op":"set","entry":"e-1","field":"Ratio","value":-0.25,"unit":"percent"}""", new Set("e-1", "Ratio", FieldValue.Of(-0.25, FieldUnit.Percent)) },
        { """{"op":"add","entry":"e-1","slot":"Db","counter":"Retries","delta":9223372036854775807}""", new SlotAdd("e-1", "Db", "Retries", long.MaxValue) },
        { """{"op":"observe","entry":"e-1","name":"Latency","value":0.001,"unit":"s"}""", new Observe("e-1", "Latency", 0.001, FieldUnit.Seconds) },
        { """{"op":"observe","entry":"e-1","slot":"Db","name":"Wait","value":250,"unit":"us"}""", new SlotObserve("e-1", "Db", "Wait", 250, FieldUnit.Microseconds) },
        { """{"op":"observe","entry":"e-1","name":"Items","value":3,"unit":"count"}""", new Observe("e-1", "Items", 3, FieldUnit.Count) },
        { """{"op":"openSlot","entry":"e-1","slot":"Audit","mode":"discard"}""", new OpenSlot("e-1", "Audit", SlotMode.Discard) },
        { """{"op":"acquireGuard","entry":"e-1","guard":"flush","force":true}""", new AcquireGuard("e-1", "flush", Force: true) },
        { """{"op":"open","entry":"e-1","operation":"GetItem"}""", new Open("e-1", "GetItem") },
        { """{"op":"open","entry":"e-1","operation":"GetItem","forceFlushAfterMs":0.0001}""", new Open("e-1", "GetItem", ForceFlushAfter: TimeSpan.FromTicks(1)) },
        { """{"op":"open","entry":"e-1","operation":"GetItem","maxLifetimeMs":1500.5}""", new Open("e-1", "GetItem", MaxLifetime: TimeSpan.FromMilliseconds(1500.5)) },
        { """{"op":"startTimer","entry":"e-1","timer":"Db"}""", new StartTimer("e-1", "Db") },
        { """{"op":"startTimer","entry":"e-1","timer":"Db","at":"2026-11-21T10:00:00+00:00"}""", new StartTimer("e-1", "Db", At) },
        { """{"op":"stopTimer","entry":"e-1","timer":"Db","at":"2026-11-21T15:30:00.0000001+05:30"}""",
            new StopTimer("e-1", "Db", new DateTimeOffset(2026, 11, 21, 15, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(1)) },
    };

    [Theory]
    [MemberData(nameof(IssueShapes))]
    [MemberData(nameof(OtherShapes))]
    public void The_writer_writes_the_pinned_shape(string json, IEntryMessage message)
    {
        Assert.Equal(json, ContractsJson.Serialize(message));
    }

    [Theory]
    [MemberData(nameof(IssueShapes))]
    [MemberData(nameof(OtherShapes))]
    public void The_pinned_shape_reads_back_as_the_message(string json, IEntryMessage message)
    {
        Same.Message(message, ContractsJson.DeserializeMessage(json));
    }

    [Fact]
    public void A_duration_field_is_written_as_exact_milliseconds_with_unit_ms_and_reads_back_as_that_number()
    {
        var json = ContractsJson.Serialize(new Set("e-1", "Took", TimeSpan.FromTicks(125_001)));

        Assert.Equal("""{"op":"set","entry":"e-1","field":"Took","value":12.5001,"unit":"ms"}""", json);
        Assert.Equal(new Set("e-1", "Took", FieldValue.Of(12.5001, FieldUnit.Milliseconds)), ContractsJson.DeserializeMessage(json));
    }

    [Fact]
    public void A_timestamp_field_is_written_as_its_iso_8601_string_and_reads_back_as_a_string()
    {
        var json = ContractsJson.Serialize(new Set("e-1", "At", At));

        Assert.Equal("""{"op":"set","entry":"e-1","field":"At","value":"2026-11-21T10:00:00+00:00"}""", json);
        Assert.Equal(new Set("e-1", "At", "2026-11-21T10:00:00+00:00"), ContractsJson.DeserializeMessage(json));
    }

    [Fact]
    public void A_batch_is_a_json_array_of_the_message_objects()
    {
        var json = ContractsJson.SerializeBatch([new Add("e-1", "Retries", 1), new Close("e-1")]);

        Assert.Equal("""[{"op":"add","entry":"e-1","counter":"Retries","delta":1},{"op":"close","entry":"e-1"}]""", json);
    }

    [Theory]
    [MemberData(nameof(FieldValues))]
    public void A_closed_entry_field_value_has_its_pinned_shape(FieldValue value, string json)
    {
        Assert.Equal(json, JsonSerializer.Serialize(value, ContractsJsonContext.Default.FieldValue));
    }

    public static TheoryData<FieldValue, string> FieldValues() => new()
    {
        { 3.25, "3.25" },
        { -0.0, "-0" },
        { "text", "\"text\"" },
        { false, "false" },
        { FieldValue.Of(4096, FieldUnit.Bytes), """{"number":4096,"unit":"bytes"}""" },
        { FieldValue.Of(double.NaN), """{"number":"NaN"}""" },
        { FieldValue.Of(double.NegativeInfinity, FieldUnit.Percent), """{"number":"-Infinity","unit":"percent"}""" },
        { TimeSpan.FromMilliseconds(12.5), """{"duration":12.5}""" },
        { TimeSpan.FromTicks(1), """{"duration":0.0001}""" },
        { FieldValue.Of(TimeSpan.FromMilliseconds(1.5), FieldUnit.Microseconds), """{"duration":1500,"unit":"us"}""" },
        { FieldValue.Of(TimeSpan.FromTicks(123_456_789), FieldUnit.Seconds), """{"duration":12.3456789,"unit":"s"}""" },
        { FieldValue.Of(TimeSpan.FromMilliseconds(3), FieldUnit.None), """{"duration":3,"unit":"none"}""" },
        { At, """{"timestamp":"2026-11-21T10:00:00+00:00"}""" },
        { new DateTimeOffset(2026, 11, 21, 15, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(1), """{"timestamp":"2026-11-21T15:30:00.0000001+05:30"}""" },
    };

    /// <summary>The issue's GET /v1/entries/{id} shape: the id is "entry", as in every message.</summary>
    [Fact]
    public void A_closed_entry_has_its_pinned_shape()
    {
        var entry = new ClosedEntry("e1", "checkout",
            new Dictionary<string, string> { ["region"] = "eu" },
            new Dictionary<string, FieldValue> { ["payment.took"] = TimeSpan.FromMilliseconds(8) },
            new Dictionary<string, long> { ["retries"] = 2 },
            new Dictionary<string, DistributionSummary> { ["latency"] = new(2, 3, 1, 2, FieldUnit.Milliseconds, [new(0.5, 1)]) },
            At, At.AddSeconds(1), CloseReason.ForceFlushed, ["guard:flush"], [], 3);

        const string Expected = """
            {"entry":"e1","operation":"checkout","dimensions":{"region":"eu"},"fields":{"payment.took":{"duration":8}},"counters":{"retries":2},
            "distributions":{"latency":{"count":2,"sum":3,"min":1,"max":2,"unit":"ms","quantiles":[{"quantile":0.5,"value":1}]}},
            "openedAt":"2026-11-21T10:00:00+00:00","closedAt":"2026-11-21T10:00:01+00:00","closeReason":"forceFlushed","pending":["guard:flush"],"failedSlots":[],"inFlightAtOpen":3}
            """;
        Assert.Equal(Expected.ReplaceLineEndings(""), ContractsJson.Serialize(entry));
    }

    [Fact]
    public void A_closed_entry_with_an_id_property_instead_of_entry_is_refused()
    {
        var json = ContractsJson.Serialize(Samples.FullEntry()).Replace("\"entry\":", "\"id\":", StringComparison.Ordinal);

        var ex = Assert.Throws<JsonException>(() => ContractsJson.DeserializeClosedEntry(json));

        Assert.Contains("missing required properties including: 'entry'", ex.Message);
    }
}
