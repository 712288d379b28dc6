using System.Text;
using System.Text.Json;
using Aggregator.Contracts.Json;
using Aggregator.Contracts.Wire;

namespace Aggregator.Contracts.Tests;

/// <summary>
/// Every class of bad input of the issue, with its exact error: a bad message costs only itself (its index and error
/// are reported, the valid messages around it are kept and counted); a body unreadable as a whole is a
/// <see cref="WireFormatException"/> with its line and byte; a single bad message is a <see cref="JsonException"/>.
/// </summary>
public sealed class ErrorTests
{
    private const string Valid = """{"op":"close","entry":"ok"}""";
    private const string Ops = "open, set, add, observe, openSlot, completeSlot, failSlot, acquireGuard, releaseGuard, close, discard, startTimer, stopTimer";
    private const string Units = "expected one of none, ms, us, s, bytes, count, percent";

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static WireBatch Array(byte[] body) => WireBatchReader.Read(body, WireBodyFormat.JsonArray);

    private static WireBatch Lines(byte[] body) => WireBatchReader.Read(body, WireBodyFormat.NdJson);

    /// <summary>
    /// The bad message between two valid ones, in an array and as NDJSON: both valid ones are kept, the bad one is
    /// rejected at index 1 with <paramref name="error"/> (NDJSON prefixes its line), and read alone it throws that error.
    /// </summary>
    private static void RejectedAlongsideValid(byte[] bad, string error)
    {
        byte[] valid = Utf8(Valid);
        var array = Array([.. "["u8, .. valid, .. ","u8, .. bad, .. ","u8, .. valid, .. "]"u8]);
        Assert.Equal<IEntryMessage>([new Close("ok"), new Close("ok")], array.Messages);
        Assert.Equal(new WireRejection(1, error), Assert.Single(array.Rejected));
        Assert.Equal(3, array.Count);

        var lines = Lines([.. valid, .. "\n"u8, .. bad, .. "\n"u8, .. valid, .. "\n"u8]);
        Assert.Equal<IEntryMessage>([new Close("ok"), new Close("ok")], lines.Messages);
        Assert.Equal(new WireRejection(1, $"line 2: {error}"), Assert.Single(lines.Rejected));
        Assert.Equal(3, lines.Count);

        Assert.Equal(error, Assert.Throws<JsonException>(() => ContractsJson.DeserializeMessage(bad)).Message);
    }

    private static void RejectedAlongsideValid(string bad, string error) => RejectedAlongsideValid(Utf8(bad), error);

    [Theory]
    [InlineData("""{"op":"nope","entry":"e-1"}""", $"unknown op \"nope\"; expected one of {Ops}")]
    [InlineData("""{"op":"Set","entry":"e-1","field":"f","value":1}""", $"unknown op \"Set\"; expected one of {Ops}")]
    [InlineData("""{"op":"slotSet","entry":"e-1","slot":"s","field":"f","value":1}""", $"unknown op \"slotSet\"; expected one of {Ops}")]
    public void An_unknown_op_lists_the_ops(string bad, string error) => RejectedAlongsideValid(bad, error);

    [Theory]
    [InlineData("""{"entry":"e-1"}""")]
    [InlineData("""{}""")]
    [InlineData("""{"type":"close","entry":"e-1"}""")]
    public void A_missing_op_lists_the_ops(string bad)
    {
        // An old-style "type" is an unknown property: that error comes first, so the producer sees the real typo.
        RejectedAlongsideValid(bad, bad.Contains("type") ? "unknown property \"type\"" : $"missing \"op\"; expected one of {Ops}");
    }

    [Theory]
    [InlineData("""{"op":"set","entry":"e-1","value":1}""", "set: missing \"field\"; set takes entry, field, value; optional unit, slot")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f"}""", "set: missing \"value\"; set takes entry, field, value; optional unit, slot")]
    [InlineData("""{"op":"open","operation":"o"}""", "open: missing \"entry\"; open takes entry, operation; optional dimensions, forceFlushAfterMs, maxLifetimeMs")]
    [InlineData("""{"op":"add","entry":"e-1"}""", "add: missing \"counter\", \"delta\"; add takes entry, counter, delta; optional slot")]
    [InlineData("""{"op":"observe","entry":"e-1","value":1}""", "observe: missing \"name\"; observe takes entry, name, value; optional unit, slot")]
    [InlineData("""{"op":"openSlot","entry":"e-1"}""", "openSlot: missing \"slot\"; openSlot takes entry, slot; optional mode")]
    [InlineData("""{"op":"failSlot","entry":"e-1"}""", "failSlot: missing \"slot\"; failSlot takes entry, slot; optional error")]
    [InlineData("""{"op":"acquireGuard","entry":"e-1"}""", "acquireGuard: missing \"guard\"; acquireGuard takes entry, guard; optional force")]
    [InlineData("""{"op":"startTimer","entry":"e-1"}""", "startTimer: missing \"timer\"; startTimer takes entry, timer; optional at")]
    [InlineData("""{"op":"close"}""", "close: missing \"entry\"; close takes entry")]
    public void A_missing_property_names_it_and_what_the_op_takes(string bad, string error) => RejectedAlongsideValid(bad, error);

    [Theory]
    [InlineData("""{"op":5,"entry":"e-1"}""", "\"op\" must be a non-empty string, got a number")]
    [InlineData("""{"op":"close","entry":5}""", "\"entry\" must be a non-empty string, got a number")]
    [InlineData("""{"op":"close","entry":null}""", "\"entry\" must be a non-empty string, got null")]
    [InlineData("""{"op":"close","entry":""}""", "\"entry\" must not be empty")]
    [InlineData("""{"op":"add","entry":"e-1","counter":"c","delta":"5"}""", "\"delta\" must be a non-negative integer, got a string")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f","value":null}""", "\"value\" must be a number, string or bool, got null")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f","value":{"number":1}}""", "\"value\" must be a number, string or bool, got an object")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f","value":[1]}""", "\"value\" must be a number, string or bool, got an array")]
    [InlineData("""{"op":"observe","entry":"e-1","name":"d","value":"12"}""", "observe: \"value\" must be a finite number, got a string")]
    [InlineData("""{"op":"observe","entry":"e-1","name":"d","value":true}""", "observe: \"value\" must be a finite number, got a bool")]
    [InlineData("""{"op":"acquireGuard","entry":"e-1","guard":"g","force":"yes"}""", "\"force\" must be true or false, got a string")]
    [InlineData("""{"op":"failSlot","entry":"e-1","slot":"s","error":{"code":1}}""", "\"error\" must be a string, got an object")]
    [InlineData("""{"op":"open","entry":"e-1","operation":"o","dimensions":["a"]}""", "\"dimensions\" must be an object of string values, got an array")]
    [InlineData("""{"op":"open","entry":"e-1","operation":"o","dimensions":{"Region":1}}""", "\"dimensions\": \"Region\" must be a string, got a number")]
    [InlineData("""{"op":"open","entry":"e-1","operation":"o","dimensions":{"Region":{"a":[1]}}}""", "\"dimensions\": \"Region\" must be a string, got an object")]
    [InlineData("""{"op":"open","entry":"e-1","operation":"o","dimensions":{"A":"1","A":"2"}}""", "\"dimensions\": \"A\" appears twice")]
    [InlineData("""{"op":"open","entry":"e-1","operation":"o","dimensions":{"":"1"}}""", "\"dimensions\": a name must have 1 to 256 characters, got 0")]
    [InlineData("""{"op":"open","entry":"e-1","operation":"o","forceFlushAfterMs":"30s"}""", "\"forceFlushAfterMs\" must be a positive number of milliseconds, got a string")]
    [InlineData("""{"op":"startTimer","entry":"e-1","timer":"t","at":1700000000}""", "\"at\" must be an ISO-8601 timestamp with an offset such as 2026-11-21T10:00:00Z, got a number")]
    [InlineData("""{"op":"startTimer","entry":"e-1","timer":"t","at":"yesterday"}""", "\"at\" must be an ISO-8601 timestamp with an offset such as 2026-11-21T10:00:00Z, got \"yesterday\"")]
    [InlineData("""{"op":"stopTimer","entry":"e-1","timer":"t","at":"2026-11-21T10:00:00"}""", "\"at\" must be an ISO-8601 timestamp with an offset such as 2026-11-21T10:00:00Z, got \"2026-11-21T10:00:00\"")]
    [InlineData("""{"op":"openSlot","entry":"e-1","slot":"s","mode":1}""", "\"mode\" must be a non-empty string, got a number")]
    public void A_mistyped_property_names_it_what_it_must_be_and_what_it_got(string bad, string error) => RejectedAlongsideValid(bad, error);

    [Theory]
    [InlineData("""{"op":"close","entry":"e-1","entryId":"e-1"}""", "unknown property \"entryId\"")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f","value":1,"Unit":"ms"}""", "unknown property \"Unit\"")]
    [InlineData("""{"op":"close","entry":"e-1","field":"f"}""", "close: \"field\" is not a property of close; close takes entry")]
    [InlineData("""{"op":"add","entry":"e-1","counter":"c","delta":1,"unit":"ms"}""", "add: \"unit\" is not a property of add; add takes entry, counter, delta; optional slot")]
    [InlineData("""{"op":"observe","entry":"e-1","field":"d","value":1}""", "observe: missing \"name\"; observe takes entry, name, value; optional unit, slot")]
    public void An_unknown_property_is_refused_not_ignored(string bad, string error) => RejectedAlongsideValid(bad, error);

    [Theory]
    [InlineData("""{"op":"close","entry":"e-1","entry":"e-2"}""", "\"entry\" appears twice")]
    [InlineData("""{"op":"close","op":"discard","entry":"e-1"}""", "\"op\" appears twice")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f","value":1,"value":2}""", "\"value\" appears twice")]
    [InlineData("""{"op":"set","entry":"e-1","field":"f","v\u0061lue":1,"value":2}""", "\"value\" appears twice")]
    public void A_duplicate_property_is_refused_rather_than_last_one_wins(string bad, string error) => RejectedAlongsideValid(bad, error);

    [Theory]
    [InlineData(WireBodyFormat.JsonArray, "")]
    [InlineData(WireBodyFormat.NdJson, "")]
    [InlineData(WireBodyFormat.JsonArray, " \r\n\t ")]
    [InlineData(WireBodyFormat.NdJson, "\n\n\r\n")]
    public void An_empty_body_is_unreadable_as_a_whole(WireBodyFormat format, string body)
    {
        var ex = Assert.Throws<WireFormatException>(() => WireBatchReader.Read(Utf8(body), format));

        Assert.Equal("the body is empty; expected a JSON array of messages, or NDJSON (one message object per line)", ex.Message);
        Assert.Equal((0, 0), (ex.Line, ex.BytePositionInLine));
    }

    [Fact]
    public void An_empty_array_is_an_empty_batch()
    {
        var batch = Array(Utf8(" [ ] "));

        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Malformed_json_in_an_array_body_spoils_the_body_with_its_line_and_byte()
    {
        var body = $"[\n{Valid},\n{Valid}\n  {Valid}\n]";

        var ex = Assert.Throws<WireFormatException>(() => Array(Utf8(body)));

        Assert.Equal((3, 2), (ex.Line, ex.BytePositionInLine));
        Assert.Equal("the body is not valid JSON at line 4, byte 3: '{' is invalid after a value. Expected either ',', '}', or ']'.", ex.Message);
    }

    [Theory]
    [InlineData("[{\"op\":\"close\",\"entry\":\"a\"}", 0, 27)]
    [InlineData("[{\"op\":\"close\",\"entry\":\"a\"}] x", 0, 29)]
    [InlineData("[{\"op\":\"close\" \"entry\":\"a\"}]", 0, 15)]
    [InlineData("x[]", 0, 0)]
    [InlineData("\n\n  nope", 2, 2)]
    public void Any_syntax_error_in_an_array_body_is_reported_where_it_is(string body, long line, long position)
    {
        var ex = Assert.Throws<WireFormatException>(() => Array(Utf8(body)));

        Assert.Equal((line, position), (ex.Line, ex.BytePositionInLine));
        Assert.StartsWith($"the body is not valid JSON at line {line + 1}, byte {position + 1}: ", ex.Message);
    }

    [Fact]
    public void The_single_message_and_all_or_nothing_batch_apis_throw_json_exceptions_with_the_position()
    {
        var single = Assert.ThrowsAny<JsonException>(() => ContractsJson.DeserializeMessage("{\"op\":\"close\",\n\"entry\" \"e\"}"));
        Assert.Equal((1L, 8L), (single.LineNumber, single.BytePositionInLine));

        var batch = Assert.Throws<JsonException>(() => ContractsJson.DeserializeBatch("[\n{\"op\":\"close\" \"entry\":\"a\"}]"));
        Assert.Equal((1L, 14L), (batch.LineNumber, batch.BytePositionInLine));
        Assert.StartsWith("batch: the body is not valid JSON at line 2, byte 15: ", batch.Message);

        var rejected = Assert.Throws<JsonException>(() => ContractsJson.DeserializeBatch($"[{Valid},{{\"op\":\"nope\",\"entry\":\"e\"}}]"));
        Assert.Equal($"batch: message 1: unknown op \"nope\"; expected one of {Ops}", rejected.Message);
        Assert.Equal("$[1]", rejected.Path);

        Assert.ThrowsAny<JsonException>(() => ContractsJson.DeserializeMessage($"{Valid} {Valid}"));
        Assert.Equal("entry message: the payload is empty; expected one message object",
            Assert.Throws<JsonException>(() => ContractsJson.DeserializeMessage(" \r\n ")).Message);
    }

    [Fact]
    public void Malformed_json_on_an_ndjson_line_costs_only_that_line()
    {
        var body = $"{Valid}\n{{\"op\":\"close\" \"entry\":\"a\"}}\nnot json at all\n{{\"op\":\"close\",\n{Valid}\n";

        var batch = Lines(Utf8(body));

        Assert.Equal<IEntryMessage>([new Close("ok"), new Close("ok")], batch.Messages);
        Assert.Equal<WireRejection>(
            [
                new WireRejection(1, "line 2: not valid JSON at byte 15: '\"' is invalid after a value. Expected either ',', '}', or ']'."),
                new WireRejection(2, "line 3: not valid JSON at byte 2: 'not json at all' is an invalid JSON literal. Expected the literal 'null'."),
                new WireRejection(3, "line 4: not valid JSON at byte 14: Expected start of a property name or value, but instead reached end of data."),
            ],
            batch.Rejected);
        Assert.Equal(5, batch.Count);
    }

    [Fact]
    public void Trailing_garbage_after_an_ndjson_object_rejects_that_line()
    {
        var body = $"{Valid}\n{Valid} garbage\n{Valid}{Valid}\n{Valid}";

        var batch = Lines(Utf8(body));

        Assert.Equal(2, batch.Messages.Count);
        Assert.Equal<WireRejection>(
            [
                new WireRejection(1, "line 2: not valid JSON at byte 29: 'g' is invalid after a single JSON value. Expected end of data."),
                new WireRejection(2, "line 3: not valid JSON at byte 28: '{' is invalid after a single JSON value. Expected end of data."),
            ],
            batch.Rejected);
    }

    [Fact]
    public void Blank_ndjson_lines_are_skipped_and_not_counted_but_keep_line_numbers()
    {
        var body = $"\n{Valid}\n\n   \n\t\r\n{{\"op\":\"nope\",\"entry\":\"e\"}}\n\n{Valid}\n\n";

        var batch = Lines(Utf8(body));

        Assert.Equal(2, batch.Messages.Count);
        Assert.Equal(new WireRejection(1, $"line 6: unknown op \"nope\"; expected one of {Ops}"), Assert.Single(batch.Rejected));
        Assert.Equal(3, batch.Count);
    }

    [Fact]
    public void Crlf_line_endings_are_read_like_lf()
    {
        var body = $"{Valid}\r\n{{\"op\":\"add\",\"entry\":\"e\",\"counter\":\"c\",\"delta\":-1}}\r\n\r\n{{\"op\":\"set\",\"entry\":\"e\",\"field\":\"f\",\"value\":\"ok\"}}\r\n";

        var batch = Lines(Utf8(body));

        Assert.Equal<IEntryMessage>([new Close("ok"), new Set("e", "f", "ok")], batch.Messages);
        Assert.Equal(new WireRejection(1, "line 2: \"delta\" must not be negative (counters only grow), got -1"), Assert.Single(batch.Rejected));
    }

    [Fact]
    public void A_json_body_starting_with_an_object_is_read_as_ndjson()
    {
        var batch = Array(Utf8($"{Valid}\n{{\"op\":\"nope\",\"entry\":\"e\"}}\n{Valid}"));

        Assert.Equal(2, batch.Messages.Count);
        Assert.Equal(new WireRejection(1, $"line 2: unknown op \"nope\"; expected one of {Ops}"), Assert.Single(batch.Rejected));
    }

    [Fact]
    public void A_json_body_that_is_one_object_over_several_lines_is_one_message()
    {
        Assert.Equal<IEntryMessage>([new Add("e", "c", 2)], Array(Utf8("{\n  \"op\": \"add\",\n  \"entry\": \"e\",\n  \"counter\": \"c\",\n  \"delta\": 2\n}\n")).Messages);

        var rejected = Array(Utf8("{\n  \"op\": \"add\",\n  \"entry\": \"e\"\n}"));
        Assert.Equal(new WireRejection(0, "add: missing \"counter\", \"delta\"; add takes entry, counter, delta; optional slot"), Assert.Single(rejected.Rejected));

        // As NDJSON the same body is four broken lines: the declared format is kept.
        Assert.Equal(4, Lines(Utf8("{\n  \"op\": \"add\",\n  \"entry\": \"e\"\n}")).Rejected.Count);
    }

    [Fact]
    public void An_ndjson_body_is_read_as_lines_even_when_a_line_is_an_array()
    {
        var batch = Lines(Utf8($"[{Valid}]\n{Valid}"));

        Assert.Equal(new WireRejection(0, "line 1: expected a message object, got an array"), Assert.Single(batch.Rejected));
        Assert.Single(batch.Messages);
    }

    [Theory]
    [InlineData("1", "expected a message object, got a number")]
    [InlineData("\"close\"", "expected a message object, got a string")]
    [InlineData("null", "expected a message object, got null")]
    [InlineData("true", "expected a message object, got a bool")]
    [InlineData("[{\"op\":\"close\",\"entry\":\"e\"}]", "expected a message object, got an array")]
    public void A_non_object_element_is_rejected_alone(string bad, string error) => RejectedAlongsideValid(bad, error);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    [Fact]
    public void Deep_nesting_in_an_array_body_spoils_the_body()
    {
        var body = $"[{Valid},{{\"op\":\"set\",\"entry\":\"e\",\"field\":\"f\",\"value\":{Nested(1000)}}}]";

        var ex = Assert.Throws<WireFormatException>(() => Array(Utf8(body)));

        Assert.Equal((0, 135), (ex.Line, ex.BytePositionInLine));
        Assert.Equal("the body is not valid JSON at line 1, byte 136: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array.", ex.Message);
    }

    [Fact]
    public void Deep_nesting_on_an_ndjson_line_costs_only_that_line()
    {
        var body = $"{Valid}\n{{\"op\":\"set\",\"entry\":\"e\",\"field\":\"f\",\"value\":{Nested(1000)}}}\n{Valid}";

        var batch = Lines(Utf8(body));

        Assert.Equal(2, batch.Messages.Count);
        Assert.Equal(new WireRejection(1, "line 2: not valid JSON at byte 108: The maximum configured depth of 64 has been exceeded. Cannot read next JSON array."), Assert.Single(batch.Rejected));
    }

    [Fact]
    public void Nesting_within_the_depth_limit_is_a_per_message_error()
    {
        RejectedAlongsideValid($"{{\"op\":\"set\",\"entry\":\"e\",\"field\":\"f\",\"value\":{Nested(50)}}}", "\"value\" must be a number, string or bool, got an array");
    }

    private static byte[] WithByte(string before, byte bad, string after) => [.. Utf8(before), bad, .. Utf8(after)];

    [Fact]
    public void Invalid_utf8_inside_a_string_value_rejects_that_message()
    {
        RejectedAlongsideValid(WithByte("{\"op\":\"set\",\"entry\":\"e\",\"field\":\"f\",\"value\":\"a", 0xFF, "\"}"), "\"value\" is not valid UTF-8");
        RejectedAlongsideValid(WithByte("{\"op\":\"set\",\"entry\":\"e\",\"field\":\"", 0xC3, "\",\"value\":1}"), "\"field\" is not valid UTF-8");
        RejectedAlongsideValid(WithByte("{\"op\":\"close\",\"entry\":\"", 0x80, "\"}"), "\"entry\" is not valid UTF-8");
    }

    [Fact]
    public void Invalid_utf8_inside_a_property_name_rejects_that_message()
    {
        RejectedAlongsideValid(WithByte("{\"op\":\"close\",\"entry\":\"e\",\"", 0xFF, "\":1}"), "unknown property \"\uFFFD\"");
    }

    [Fact]
    public void Invalid_utf8_inside_dimensions_rejects_that_message_and_keeps_the_reader_in_step()
    {
        RejectedAlongsideValid(WithByte("{\"op\":\"open\",\"entry\":\"e\",\"operation\":\"o\",\"dimensions\":{\"", 0xFF, "\":\"1\",\"B\":\"2\"},\"maxLifetimeMs\":5}"),
            "\"dimensions\": a name is not valid UTF-8");
        RejectedAlongsideValid(WithByte("{\"op\":\"open\",\"entry\":\"e\",\"operation\":\"o\",\"dimensions\":{\"A\":\"", 0xFE, "\",\"B\":\"2\"},\"maxLifetimeMs\":5}"),
            "\"dimensions\": the value of \"A\" is not valid UTF-8");
    }

    [Fact]
    public void Invalid_utf8_outside_strings_is_malformed_json()
    {
        var array = Assert.Throws<WireFormatException>(() => Array(WithByte($"[{Valid},", 0xFF, $"{Valid}]")));
        Assert.Equal((0, 29), (array.Line, array.BytePositionInLine));

        var lines = Lines(WithByte($"{Valid}\n{Valid}", 0xFF, $"\n{Valid}"));
        Assert.Equal(2, lines.Messages.Count);
        Assert.Equal(1, Assert.Single(lines.Rejected).Index);
        Assert.StartsWith("line 2: not valid JSON at byte 28: ", lines.Rejected[0].Error);
    }

    [Fact]
    public void Names_longer_than_the_limit_are_refused_and_the_limit_itself_is_accepted()
    {
        var limit = WireLimits.Default.MaxNameLength;
        var longest = new string('n', limit);
        var tooLong = new string('n', limit + 1);

        RejectedAlongsideValid($$"""{"op":"set","entry":"e","field":"{{tooLong}}","value":1}""", $"\"field\" is {limit + 1} characters long; the limit is {limit}");
        RejectedAlongsideValid($$"""{"op":"close","entry":"{{tooLong}}"}""", $"\"entry\" is {limit + 1} characters long; the limit is {limit}");
        RejectedAlongsideValid($$$"""{"op":"open","entry":"e","operation":"o","dimensions":{"{{{tooLong}}}":"v"}}""", $"\"dimensions\": a name must have 1 to {limit} characters, got {limit + 1}");
        RejectedAlongsideValid($$"""{"op":"{{tooLong}}","entry":"e"}""", $"unknown op \"{tooLong[..64]}…\"; expected one of {Ops}");
        Assert.Equal(new Set("e", longest, 1), ContractsJson.DeserializeMessage($$"""{"op":"set","entry":"e","field":"{{longest}}","value":1}"""));
    }

    [Fact]
    public void Strings_longer_than_the_limit_are_refused()
    {
        var limit = WireLimits.Default.MaxStringLength;
        RejectedAlongsideValid($$"""{"op":"set","entry":"e","field":"f","value":"{{new string('v', limit + 1)}}"}""", $"\"value\" is {limit + 1} characters long; the limit is {limit}");
        RejectedAlongsideValid($$"""{"op":"failSlot","entry":"e","slot":"s","error":"{{new string('v', limit + 1)}}"}""", $"\"error\" is {limit + 1} characters long; the limit is {limit}");
        Assert.Equal(new Set("e", "f", new string('v', limit)), ContractsJson.DeserializeMessage($$"""{"op":"set","entry":"e","field":"f","value":"{{new string('v', limit)}}"}"""));
    }

    [Fact]
    public void Configured_limits_apply()
    {
        // The op is not a name: "open" and "acquireGuard" are read whatever MaxNameLength is.
        var limits = new WireLimits { MaxNameLength = 3, MaxStringLength = 2, MaxDimensions = 1 };

        var batch = WireBatchReader.Read(Utf8("""
            {"op":"set","entry":"abc","field":"f","value":"ab"}
            {"op":"set","entry":"abcd","field":"f","value":1}
            {"op":"set","entry":"e","field":"f","value":"abc"}
            {"op":"open","entry":"e","operation":"o","dimensions":{"a":"1","b":"2"}}
            {"op":"acquireGuard","entry":"e","guard":"g"}
            """), WireBodyFormat.NdJson, limits);

        Assert.Equal<IEntryMessage>([new Set("abc", "f", "ab"), new AcquireGuard("e", "g")], batch.Messages);
        Assert.Equal<WireRejection>(
            [
                new WireRejection(1, "line 2: \"entry\" is 4 characters long; the limit is 3"),
                new WireRejection(2, "line 3: \"value\" is 3 characters long; the limit is 2"),
                new WireRejection(3, "line 4: \"dimensions\": more than 1; the limit is 1"),
            ],
            batch.Rejected);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WireMessageReader(new WireLimits { MaxDimensions = 0 }));
    }

    private static string Dimensions(int count) =>
        "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"d{i}\":\"v\"")) + "}";

    [Fact]
    public void Too_many_dimensions_are_refused_and_the_limit_itself_is_accepted()
    {
        var limit = WireLimits.Default.MaxDimensions;

        RejectedAlongsideValid("""{"op":"open","entry":"e","operation":"o","dimensions":""" + Dimensions(limit + 1) + "}", $"\"dimensions\": more than {limit}; the limit is {limit}");
        var open = (Open)ContractsJson.DeserializeMessage("""{"op":"open","entry":"e","operation":"o","dimensions":""" + Dimensions(limit) + "}");
        Assert.Equal(limit, open.Dimensions!.Count);
    }

    [Theory]
    [InlineData("-1", "\"delta\" must not be negative (counters only grow), got -1")]
    [InlineData("-9223372036854775809", "\"delta\" must not be negative (counters only grow), got -9223372036854775809")]
    [InlineData("-0.5", "\"delta\" must not be negative (counters only grow), got -0.5")]
    public void A_negative_delta_is_refused(string delta, string error) =>
        RejectedAlongsideValid($$"""{"op":"add","entry":"e","counter":"c","delta":{{delta}}}""", error);

    [Theory]
    [InlineData("1.5", "\"delta\" must be a whole number, got 1.5")]
    [InlineData("0.1e1", "\"delta\" must be a non-negative integer of at most 9223372036854775807 written without a fraction or exponent, got 0.1e1")]
    [InlineData("1e2", "\"delta\" must be a non-negative integer of at most 9223372036854775807 written without a fraction or exponent, got 1e2")]
    [InlineData("9223372036854775808", "\"delta\" must be a non-negative integer of at most 9223372036854775807 written without a fraction or exponent, got 9223372036854775808")]
    [InlineData("1e999", "\"delta\" must be a non-negative integer of at most 9223372036854775807 written without a fraction or exponent, got 1e999")]
    public void A_fractional_or_out_of_range_delta_is_refused(string delta, string error) =>
        RejectedAlongsideValid($$"""{"op":"add","entry":"e","counter":"c","delta":{{delta}}}""", error);

    [Fact]
    public void Zero_is_a_valid_delta()
    {
        Assert.Equal(new Add("e", "c", 0), ContractsJson.DeserializeMessage("""{"op":"add","entry":"e","counter":"c","delta":0}"""));
    }

    [Theory]
    [InlineData("""{"op":"set","entry":"e","field":"f","value":1e999}""", "\"value\" must be a finite number, got 1e999")]
    [InlineData("""{"op":"set","entry":"e","field":"f","value":-1e999}""", "\"value\" must be a finite number, got -1e999")]
    [InlineData("""{"op":"set","entry":"e","slot":"s","field":"f","value":1.8e308,"unit":"ms"}""", "\"value\" must be a finite number, got 1.8e308")]
    [InlineData("""{"op":"observe","entry":"e","name":"d","value":1e999}""", "\"value\" must be a finite number, got 1e999")]
    [InlineData("""{"op":"open","entry":"e","operation":"o","forceFlushAfterMs":1e999}""", "\"forceFlushAfterMs\" must be a positive number of milliseconds of at most 461168601842738, got 1e999")]
    [InlineData("""{"op":"open","entry":"e","operation":"o","maxLifetimeMs":461168601842739}""", "\"maxLifetimeMs\" must be a positive number of milliseconds of at most 461168601842738, got 461168601842739")]
    public void A_non_finite_or_huge_number_is_refused(string bad, string error) => RejectedAlongsideValid(bad, error);

    [Theory]
    [InlineData("forceFlushAfterMs", "0")]
    [InlineData("forceFlushAfterMs", "-5")]
    [InlineData("forceFlushAfterMs", "-0")]
    [InlineData("forceFlushAfterMs", "0.00004")]
    [InlineData("maxLifetimeMs", "0")]
    [InlineData("maxLifetimeMs", "-1e3")]
    public void A_deadline_of_zero_or_less_is_refused(string property, string ms) =>
        RejectedAlongsideValid($$"""{"op":"open","entry":"e","operation":"o","{{property}}":{{ms}}}""",
            $"\"{property}\" must be a positive number of milliseconds of at most 461168601842738, got {ms}");

    [Theory]
    [InlineData("\"ok\"")]
    [InlineData("true")]
    [InlineData("false")]
    public void A_unit_on_a_string_or_bool_value_is_refused(string value)
    {
        RejectedAlongsideValid($$"""{"op":"set","entry":"e","field":"f","value":{{value}},"unit":"ms"}""", "set: \"unit\" applies only to a number value");
        RejectedAlongsideValid($$"""{"op":"set","entry":"e","field":"f","unit":"none","value":{{value}}}""", "set: \"unit\" applies only to a number value");
    }

    [Theory]
    [InlineData("set", "field", "hours")]
    [InlineData("set", "field", "MS")]
    [InlineData("set", "field", "Milliseconds")]
    [InlineData("observe", "name", "")]
    [InlineData("observe", "name", "bytes ")]
    public void An_unknown_unit_lists_the_units(string op, string nameProperty, string unit)
    {
        var bad = $$"""{"op":"{{op}}","entry":"e","{{nameProperty}}":"x","value":1,"unit":"{{unit}}"}""";
        var error = unit.Length == 0 ? "\"unit\" must not be empty" : $"{op}: unknown \"unit\" \"{unit}\"; {Units}";

        RejectedAlongsideValid(bad, error);
    }

    [Theory]
    [InlineData("later")]
    [InlineData("Wait")]
    [InlineData("DISCARD")]
    public void A_mode_other_than_wait_or_discard_is_refused(string mode) =>
        RejectedAlongsideValid($$"""{"op":"openSlot","entry":"e","slot":"s","mode":"{{mode}}"}""", $"openSlot: \"mode\" must be wait or discard, got \"{mode}\"");

    [Fact]
    public void Every_bad_message_of_a_mixed_batch_is_reported_with_its_index_and_every_good_one_kept()
    {
        var body = $$"""
            [{{Valid}},
             {"op":"add","entry":"e","counter":"c","delta":-1},
             {"op":"set","entry":"e","field":"f","value":1},
             7,
             {"op":"openSlot","entry":"e","slot":"s","mode":"sometimes"},
             {{Valid}}]
            """;

        var batch = Array(Utf8(body));

        Assert.Equal<IEntryMessage>([new Close("ok"), new Set("e", "f", 1), new Close("ok")], batch.Messages);
        Assert.Equal<int>([1, 3, 4], batch.Rejected.Select(r => r.Index));
        Assert.Equal(6, batch.Count);
    }

    [Fact]
    public void The_writer_refuses_what_the_wire_cannot_carry()
    {
        Assert.Throws<ArgumentException>(() => ContractsJson.Serialize(new Set("e", "f", double.NaN)));
        Assert.Throws<ArgumentException>(() => ContractsJson.Serialize(new Observe("e", "d", double.PositiveInfinity)));
        Assert.Throws<ArgumentException>(() => ContractsJson.SerializeBatch([new Close("e"), null!]));
    }

    // Closed entries are read by the serializer with FieldValueJsonConverter: its errors stay as they were.

    private static JsonException RejectedValue(string valueJson) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(valueJson, ContractsJsonContext.Default.FieldValue));

    [Theory]
    [InlineData("[1]", "field value: got an array; expected a number")]
    [InlineData("""{"unit":"ms"}""", "field value: an object needs one of number, duration, timestamp")]
    [InlineData("""{"number":1,"duration":2}""", "field value: an object holds exactly one of number, duration, timestamp, but has both number and duration")]
    [InlineData("""{"duration":1e30}""", "field value: duration 1e30 is out of range")]
    [InlineData("""{"number":1e999}""", "field value: number 1e999 is out of range of a double")]
    [InlineData("""{"timestamp":"2026-11-21T10:00:00"}""", "field value: timestamp '2026-11-21T10:00:00' has no offset")]
    [InlineData("""{"duration":1,"unit":"hours"}""", $"field value: unknown unit 'hours'; {Units}")]
    public void A_bad_closed_entry_field_value_says_what_is_wrong(string valueJson, string message)
    {
        Assert.StartsWith(message, RejectedValue(valueJson).Message);
    }

    [Fact]
    public void A_null_in_a_closed_entry_list_is_rejected()
    {
        var json = ContractsJson.Serialize(Samples.FullEntry()).Replace("\"failedSlots\":[\"payment\"]", "\"failedSlots\":[null]", StringComparison.Ordinal);

        var ex = Assert.Throws<JsonException>(() => ContractsJson.DeserializeClosedEntry(json));

        Assert.StartsWith("closed entry: failedSlots[0] is null", ex.Message);
    }

    [Fact]
    public void A_null_closed_entry_dimension_is_rejected()
    {
        var json = ContractsJson.Serialize(Samples.FullEntry()).Replace("\"region\":\"eu-west-1\"", "\"region\":null", StringComparison.Ordinal);

        var ex = Assert.Throws<JsonException>(() => ContractsJson.DeserializeClosedEntry(json));

        Assert.StartsWith("closed entry: dimensions[\"region\"] is null", ex.Message);
    }
}
