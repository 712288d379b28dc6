using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Tests;

/// <summary>What hand-written producer payloads may look like beyond what the service itself writes.</summary>
public sealed class ReadingTests
{
    private static FieldValue ValueOf(string valueJson) =>
        ((Set)ContractsJson.DeserializeMessage($$"""{"type":"set","entryId":"e1","field":"f","value":{{valueJson}}}""")).Value;

    [Fact]
    public void The_type_may_come_anywhere_in_the_object()
    {
        var read = ContractsJson.DeserializeMessage("""{"entryId":"e1","counter":"c","delta":5,"type":"add"}""");

        Assert.Equal(new Add("e1", "c", 5), read);
    }

    [Fact]
    public void A_duration_without_a_unit_is_in_milliseconds()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(12.5), ValueOf("""{"duration":12.5}""").Duration);
        Assert.Equal(FieldUnit.Milliseconds, ValueOf("""{"duration":12.5}""").Unit);
    }

    [Theory]
    [InlineData("""{"duration":1.5,"unit":"s"}""", 15_000_000, FieldUnit.Seconds)]
    [InlineData("""{"unit":"us","duration":250}""", 2_500, FieldUnit.Microseconds)]
    [InlineData("""{"duration":250,"unit":"µs"}""", 2_500, FieldUnit.Microseconds)]
    [InlineData("""{"duration":1e3}""", 10_000_000, FieldUnit.Milliseconds)]
    [InlineData("""{"duration":0.00004}""", 0, FieldUnit.Milliseconds)]
    [InlineData("""{"duration":0.00006}""", 1, FieldUnit.Milliseconds)]
    public void A_duration_is_read_in_its_unit_and_rounded_to_the_tick(string json, long ticks, FieldUnit unit)
    {
        var value = ValueOf(json);

        Assert.Equal(FieldKind.Duration, value.Kind);
        Assert.Equal(ticks, value.Duration.Ticks);
        Assert.Equal(unit, value.Unit);
    }

    [Fact]
    public void A_timestamp_in_z_form_is_read_with_a_zero_offset()
    {
        var value = ValueOf("""{"timestamp":"2026-11-21T10:00:00Z"}""");

        Assert.Equal(FieldKind.Timestamp, value.Kind);
        Assert.True(Same.Timestamp(Samples.At, value.Timestamp));
    }

    [Fact]
    public void A_number_with_a_unit_stays_a_number()
    {
        var value = ValueOf("""{"number":3,"unit":"bytes"}""");

        Assert.Equal((FieldKind.Number, 3.0, FieldUnit.Bytes), (value.Kind, value.Number, value.Unit));
    }

    [Fact]
    public void Bare_json_values_are_numbers_strings_and_bools()
    {
        Assert.Equal(FieldValue.Of(1e-3), ValueOf("1e-3"));
        Assert.Equal(FieldValue.Of("1"), ValueOf("\"1\""));
        Assert.Equal(FieldValue.Of(true), ValueOf("true"));
    }

    [Fact]
    public void An_observation_unit_accepts_the_micro_sign()
    {
        var read = ContractsJson.DeserializeMessage("""{"type":"observe","entryId":"e1","distribution":"d","value":2,"unit":"µs"}""");

        Assert.Equal(new Observe("e1", "d", 2, FieldUnit.Microseconds), read);
    }

    [Fact]
    public void Unknown_properties_are_ignored_so_newer_producers_can_add_some()
    {
        var read = ContractsJson.DeserializeMessage("""{"type":"close","entryId":"e1","sentBy":"svc-a"}""");

        Assert.Equal(new Close("e1"), read);
    }
}
