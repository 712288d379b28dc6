using System.Text.Json;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Tests;

/// <summary>Pins the wire format byte for byte: producers in other languages are written against these shapes.</summary>
public sealed class WireShapeTests
{
    [Theory]
    [MemberData(nameof(Messages))]
    public void A_message_has_its_pinned_shape(IEntryMessage message, string json)
    {
        Assert.Equal(json, ContractsJson.Serialize(message));
    }

    public static TheoryData<IEntryMessage, string> Messages() => new()
    {
        { new Open("e1", "checkout", new Dictionary<string, string> { ["Tenant.Id"] = "42" }, TimeSpan.FromSeconds(30)),
            """{"type":"open","entryId":"e1","operation":"checkout","dimensions":{"Tenant.Id":"42"},"forceFlushAfter":"00:00:30"}""" },
        { new Open("e1", "checkout"), """{"type":"open","entryId":"e1","operation":"checkout"}""" },
        { new Set("e1", "status", 200), """{"type":"set","entryId":"e1","field":"status","value":200}""" },
        { new Set("e1", "route", "/pay"), """{"type":"set","entryId":"e1","field":"route","value":"/pay"}""" },
        { new Set("e1", "cached", true), """{"type":"set","entryId":"e1","field":"cached","value":true}""" },
        { new Add("e1", "retries", 1), """{"type":"add","entryId":"e1","counter":"retries","delta":1}""" },
        { new Observe("e1", "latency", 12.5, FieldUnit.Milliseconds), """{"type":"observe","entryId":"e1","distribution":"latency","value":12.5,"unit":"ms"}""" },
        { new Observe("e1", "items", 3), """{"type":"observe","entryId":"e1","distribution":"items","value":3,"unit":"none"}""" },
        { new StartTimer("e1", "db"), """{"type":"startTimer","entryId":"e1","timer":"db"}""" },
        { new StopTimer("e1", "db", Samples.At), """{"type":"stopTimer","entryId":"e1","timer":"db","at":"2026-11-21T10:00:00+00:00"}""" },
        { new OpenSlot("e1", "payment"), """{"type":"openSlot","entryId":"e1","slot":"payment","mode":"wait"}""" },
        { new SlotSet("e1", "payment", "took", TimeSpan.FromMilliseconds(12.5)), """{"type":"slotSet","entryId":"e1","slot":"payment","field":"took","value":{"duration":12.5}}""" },
        { new FailSlot("e1", "payment", "declined"), """{"type":"failSlot","entryId":"e1","slot":"payment","reason":"declined"}""" },
        { new AcquireGuard("e1", "flush", Force: true), """{"type":"acquireGuard","entryId":"e1","guard":"flush","force":true}""" },
        { new Close("e1"), """{"type":"close","entryId":"e1"}""" },
    };

    [Theory]
    [MemberData(nameof(FieldValues))]
    public void A_field_value_has_its_pinned_shape(FieldValue value, string json)
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
        { Samples.At, """{"timestamp":"2026-11-21T10:00:00+00:00"}""" },
        { new DateTimeOffset(2026, 11, 21, 15, 30, 0, TimeSpan.FromHours(5.5)).AddTicks(1), """{"timestamp":"2026-11-21T15:30:00.0000001+05:30"}""" },
    };

    [Fact]
    public void A_closed_entry_has_its_pinned_shape()
    {
        var entry = new ClosedEntry("e1", "checkout",
            new Dictionary<string, string> { ["region"] = "eu" },
            new Dictionary<string, FieldValue> { ["payment.took"] = TimeSpan.FromMilliseconds(8) },
            new Dictionary<string, long> { ["retries"] = 2 },
            new Dictionary<string, DistributionSummary> { ["latency"] = new(2, 3, 1, 2, FieldUnit.Milliseconds, [new(0.5, 1)]) },
            Samples.At, Samples.At.AddSeconds(1), CloseReason.ForceFlushed, ["guard:flush"], [], 3);

        const string Expected = """
            {"id":"e1","operation":"checkout","dimensions":{"region":"eu"},"fields":{"payment.took":{"duration":8}},"counters":{"retries":2},
            "distributions":{"latency":{"count":2,"sum":3,"min":1,"max":2,"unit":"ms","quantiles":[{"quantile":0.5,"value":1}]}},
            "openedAt":"2026-11-21T10:00:00+00:00","closedAt":"2026-11-21T10:00:01+00:00","closeReason":"forceFlushed","pending":["guard:flush"],"failedSlots":[],"inFlightAtOpen":3}
            """;
        Assert.Equal(Expected.ReplaceLineEndings(""),
            ContractsJson.Serialize(entry));
    }
}
