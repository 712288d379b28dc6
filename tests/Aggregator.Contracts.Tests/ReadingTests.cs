using Aggregator.Contracts.Json;
using Aggregator.Contracts.Wire;

namespace Aggregator.Contracts.Tests;

/// <summary>What hand-written producer payloads may look like beyond what the writer itself writes.</summary>
public sealed class ReadingTests
{
    private static IEntryMessage Read(string json) => ContractsJson.DeserializeMessage(json);

    [Fact]
    public void Properties_may_come_in_any_order()
    {
        Assert.Equal(new Add("e-1", "Retries", 5), Read("""{"delta":5,"counter":"Retries","entry":"e-1","op":"add"}"""));
        Assert.Equal(new SlotSet("e-1", "Db", "Rows", 3), Read("""{"value":3,"field":"Rows","slot":"Db","op":"set","entry":"e-1"}"""));
    }

    [Fact]
    public void Whitespace_and_escapes_are_read_like_any_json()
    {
        var read = Read("  {\n \"op\" : \"set\",\t\"entry\":\"e\\u002D1\", \"f\\u0069eld\":\"A\\\"b\\\\c\\n\", \"value\":\"\\u00e9\\ud83d\\ude00\" }\r\n");

        Assert.Equal(new Set("e-1", "A\"b\\c\n", "é😀"), read);
    }

    [Fact]
    public void Optional_properties_left_out_take_their_defaults()
    {
        Assert.Equal(new OpenSlot("e-1", "Db", SlotMode.Wait), Read("""{"op":"openSlot","entry":"e-1","slot":"Db"}"""));
        Assert.Equal(new AcquireGuard("e-1", "g1", Force: false), Read("""{"op":"acquireGuard","entry":"e-1","guard":"g1"}"""));
        Assert.Equal(new FailSlot("e-1", "Db", "failed"), Read("""{"op":"failSlot","entry":"e-1","slot":"Db"}"""));
        Assert.Equal(new Observe("e-1", "d", 1, FieldUnit.None), Read("""{"op":"observe","entry":"e-1","name":"d","value":1}"""));
        Same.Message(new Open("e-1", "GetItem"), Read("""{"op":"open","entry":"e-1","operation":"GetItem"}"""));
    }

    [Fact]
    public void An_explicit_unit_none_is_the_same_as_no_unit()
    {
        Assert.Equal(new Set("e-1", "n", FieldValue.Of(2)), Read("""{"op":"set","entry":"e-1","field":"n","value":2,"unit":"none"}"""));
    }

    [Theory]
    [InlineData("none", FieldUnit.None)]
    [InlineData("ms", FieldUnit.Milliseconds)]
    [InlineData("us", FieldUnit.Microseconds)]
    [InlineData("µs", FieldUnit.Microseconds)]
    [InlineData("s", FieldUnit.Seconds)]
    [InlineData("bytes", FieldUnit.Bytes)]
    [InlineData("count", FieldUnit.Count)]
    [InlineData("percent", FieldUnit.Percent)]
    public void Every_unit_name_is_read_on_set_and_observe(string name, FieldUnit unit)
    {
        Assert.Equal(new Set("e-1", "f", FieldValue.Of(1.5, unit)), Read($$"""{"op":"set","entry":"e-1","field":"f","value":1.5,"unit":"{{name}}"}"""));
        Assert.Equal(new Observe("e-1", "d", 1.5, unit), Read($$"""{"op":"observe","entry":"e-1","name":"d","value":1.5,"unit":"{{name}}"}"""));
    }

    [Fact]
    public void Numbers_in_any_json_notation_are_read_as_doubles()
    {
        Assert.Equal(new Observe("e-1", "d", 1000), Read("""{"op":"observe","entry":"e-1","name":"d","value":1E3}"""));
        Assert.Equal(new Observe("e-1", "d", -0.001), Read("""{"op":"observe","entry":"e-1","name":"d","value":-1e-3}"""));
        Assert.Equal(new Set("e-1", "f", FieldValue.Of(double.MaxValue)), Read("""{"op":"set","entry":"e-1","field":"f","value":1.7976931348623157e308}"""));
    }

    [Fact]
    public void A_timer_at_with_an_offset_keeps_the_instant_and_the_offset()
    {
        var read = (StopTimer)Read("""{"op":"stopTimer","entry":"e-1","timer":"Db","at":"2026-11-21T11:30:00+01:30"}""");

        Assert.Equal(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), read.At);
        Assert.Equal(TimeSpan.FromMinutes(90), read.At!.Value.Offset);
    }

    [Fact]
    public void Deadlines_are_read_to_the_tick()
    {
        var read = (Open)Read("""{"op":"open","entry":"e-1","operation":"o","forceFlushAfterMs":0.0003,"maxLifetimeMs":922337203685.4775}""");

        Assert.Equal(TimeSpan.FromTicks(3), read.ForceFlushAfter);
        Assert.Equal(TimeSpan.FromTicks(9_223_372_036_854_775), read.MaxLifetime);
    }

    [Fact]
    public void Consecutive_messages_of_one_entry_share_one_id_string()
    {
        var batch = WireBatchReader.Read("""[{"op":"close","entry":"e-1"},{"op":"discard","entry":"e-1"}]"""u8, WireBodyFormat.JsonArray);

        Assert.Same(batch.Messages[0].EntryId, batch.Messages[1].EntryId);
    }
}
