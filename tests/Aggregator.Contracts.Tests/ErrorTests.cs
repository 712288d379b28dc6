using System.Text.Json;
using Aggregator.Contracts.Json;

namespace Aggregator.Contracts.Tests;

/// <summary>
/// A rejected payload says what was wrong, what is accepted and where, so a remote producer can fix it from the
/// error alone; and it is always a <see cref="JsonException"/>, which hosts turn into a 400 rather than a 500.
/// </summary>
public sealed class ErrorTests
{
    private const string Units = "expected one of none, ms, us, s, bytes, count, percent";

    private static JsonException Rejected(string batchJson) => Assert.Throws<JsonException>(() => ContractsJson.DeserializeBatch(batchJson));

    private static JsonException RejectedValue(string valueJson) =>
        Rejected($$"""[{"type":"set","entryId":"e1","field":"f","value":{{valueJson}}}]""");

    [Fact]
    public void An_unknown_type_names_it_and_lists_the_known_ones()
    {
        var ex = Rejected("""[{"type":"close","entryId":"e1"},{"type":"nope","entryId":"e1"}]""");

        Assert.StartsWith("entry message: unknown \"type\"; expected an object whose \"type\" is one of open, set, add, observe, startTimer,", ex.Message);
        Assert.Contains("'nope'", ex.Message);
        Assert.Equal("$[1]", ex.Path);
    }

    [Fact]
    public void A_missing_type_is_a_json_error_not_an_unsupported_interface()
    {
        var ex = Rejected("""[{"entryId":"e1"}]""");

        Assert.StartsWith("entry message: missing \"type\"; expected an object whose \"type\" is one of open, set,", ex.Message);
        Assert.Contains("Path: $[0]", ex.Message);
    }

    [Fact]
    public void An_unknown_unit_in_a_field_value_lists_the_units()
    {
        var ex = RejectedValue("""{"duration":1,"unit":"hours"}""");

        Assert.StartsWith($"field value: unknown unit 'hours'; {Units}", ex.Message);
        Assert.Contains("Path: $[0].value", ex.Message);
    }

    [Fact]
    public void An_unknown_unit_on_an_observation_lists_the_units()
    {
        var ex = Rejected("""[{"type":"observe","entryId":"e1","distribution":"d","value":1,"unit":"Milliseconds"}]""");

        Assert.StartsWith($"unit: unknown unit 'Milliseconds'; {Units}", ex.Message);
        Assert.Equal("$[0].unit", ex.Path);
    }

    [Theory]
    [InlineData("null", "field value: got null; expected a number, a string, true/false, or an object with one of number, duration, timestamp")]
    [InlineData("[1]", "field value: got an array; expected a number")]
    [InlineData("""{"unit":"ms"}""", "field value: an object needs one of number, duration, timestamp")]
    [InlineData("""{"number":1,"duration":2}""", "field value: an object holds exactly one of number, duration, timestamp, but has both number and duration")]
    [InlineData("""{"duration":"12ms"}""", "field value: duration: expected a JSON number (the amount in its unit, ms by default), got a string")]
    [InlineData("""{"duration":1e30}""", "field value: duration 1e30 is out of range")]
    [InlineData("""{"duration":1e16,"unit":"s"}""", "field value: duration 10000000000000000 s is out of range of a TimeSpan")]
    [InlineData("""{"number":"twelve"}""", "field value: number 'twelve' is not a number")]
    [InlineData("""{"number":1e999}""", "field value: number 1e999 is out of range of a double")]
    [InlineData("""{"timestamp":1700000000}""", "field value: timestamp: expected a string, got a number")]
    [InlineData("""{"timestamp":"yesterday"}""", "field value: timestamp 'yesterday' is not a date-time; expected an ISO 8601 date-time with an offset")]
    [InlineData("""{"timestamp":"2026-11-21T10:00:00"}""", "field value: timestamp '2026-11-21T10:00:00' has no offset")]
    [InlineData("""{"timestamp":"2026-11-21T10:00:00Z","unit":"ms"}""", "field value: a timestamp takes no unit")]
    [InlineData("""{"duration":1,"scale":2}""", "field value: unknown property 'scale'; expected one of number, duration, timestamp, unit")]
    [InlineData("""{"duration":1,"unit":5}""", "unit: expected a string, got a number")]
    public void A_bad_field_value_says_what_is_wrong_and_what_is_accepted(string valueJson, string message)
    {
        var ex = RejectedValue(valueJson);

        Assert.Contains(message, ex.Message);
        Assert.StartsWith("$[0].value", ex.Path);
    }

    [Fact]
    public void A_wrong_token_for_a_typed_property_names_the_property()
    {
        var ex = Rejected("""[{"type":"add","entryId":"e1","counter":"c","delta":"5"}]""");

        Assert.Equal("$[0].delta", ex.Path);
        Assert.Contains("Aggregator.Contracts.Add", ex.Message);
    }

    [Theory]
    [InlineData("""{"type":"set","field":"f","value":1}""", "Aggregator.Contracts.Set", "entryId")]
    [InlineData("""{"type":"open","entryId":"e1"}""", "Aggregator.Contracts.Open", "operation")]
    [InlineData("""{"type":"slotSet","entryId":"e1","slot":"s","value":1}""", "Aggregator.Contracts.SlotSet", "field")]
    [InlineData("""{"type":"set","entryId":"e1","field":"f"}""", "Aggregator.Contracts.Set", "value")]
    public void A_missing_required_property_names_the_message_type_and_the_property(string messageJson, string type, string property)
    {
        var ex = Rejected($"[{messageJson}]");

        Assert.Contains($"type '{type}' was missing required properties including: '{property}'", ex.Message);
    }

    [Fact]
    public void A_null_entry_id_is_rejected()
    {
        var ex = Rejected("""[{"type":"close","entryId":null}]""");

        Assert.Contains("'EntryId' on type 'Aggregator.Contracts.Close' doesn't allow null", ex.Message);
        Assert.Equal("$[0].entryId", ex.Path);
    }

    [Fact]
    public void A_duplicated_property_is_rejected_rather_than_last_one_wins()
    {
        var ex = Rejected("""[{"type":"close","entryId":"e1","entryId":"e2"}]""");

        Assert.Contains("Duplicate property 'entryId'", ex.Message);
    }

    [Fact]
    public void A_null_message_in_a_batch_is_rejected_with_its_index()
    {
        var ex = Rejected("""[{"type":"close","entryId":"e1"},null]""");

        Assert.StartsWith("batch: element 1 is null;", ex.Message);
        Assert.Equal("$[1]", ex.Path);
    }

    [Fact]
    public void A_null_dimension_value_is_rejected()
    {
        var ex = Rejected("""[{"type":"open","entryId":"e1","operation":"op","dimensions":{"region":null}}]""");

        Assert.StartsWith("open: dimensions[\"region\"] is null", ex.Message);
    }

    [Fact]
    public void A_null_in_a_closed_entry_list_is_rejected()
    {
        var json = ContractsJson.Serialize(Samples.FullEntry()).Replace("\"failedSlots\":[\"payment\"]", "\"failedSlots\":[null]", StringComparison.Ordinal);

        var ex = Assert.Throws<JsonException>(() => ContractsJson.DeserializeClosedEntry(json));

        Assert.StartsWith("closed entry: failedSlots[0] is null", ex.Message);
    }

    [Theory]
    [InlineData("null", "batch: got null; expected a JSON array")]
    [InlineData("{}", "could not be converted to Aggregator.Contracts.IEntryMessage[]")]
    [InlineData("[1]", "could not be converted to Aggregator.Contracts.IEntryMessage")]
    [InlineData("[{\"type\":\"openSlot\",\"entryId\":\"e1\",\"slot\":\"s\",\"mode\":1}]", "Path: $[0].mode")]
    [InlineData("[{\"type\":\"openSlot\",\"entryId\":\"e1\",\"slot\":\"s\",\"mode\":\"later\"}]", "Path: $[0].mode")]
    public void A_malformed_batch_is_a_json_error(string json, string message)
    {
        Assert.Contains(message, Rejected(json).Message);
    }
}
