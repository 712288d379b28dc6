using Aggregator.Actors.Persistence;
using Aggregator.Contracts;
using Aggregator.Contracts.Json;

namespace Aggregator.Actors.Tests.Persistence;

/// <summary>The journal's binary payload: exact round trip, and damaged bytes refused with a reason, never misread.</summary>
public sealed class EntryCodecTests
{
    private static readonly ClosedEntry Rich = new("rich-1", "checkout",
        new Dictionary<string, string> { ["region"] = "eu-west-1", ["emoji"] = "ünï 🚀" },
        new Dictionary<string, FieldValue>
        {
            ["plain"] = 12.5,
            ["nan"] = FieldValue.Of(double.NaN),
            ["bytes"] = FieldValue.Of(1024, FieldUnit.Bytes),
            ["text"] = "hello \"world\"",
            ["yes"] = true,
            ["took"] = FieldValue.Of(TimeSpan.FromTicks(-5), FieldUnit.Microseconds),
            ["at"] = new DateTimeOffset(2026, 11, 21, 11, 30, 15, 123, TimeSpan.FromHours(-9.5)),
        },
        new Dictionary<string, long> { ["big"] = long.MaxValue, ["small"] = long.MinValue },
        new Dictionary<string, DistributionSummary> { ["latency"] = new(3, 6.5, 1, 3.5, FieldUnit.Milliseconds, [new(0.5, 2), new(0.99, 3.5)]) },
        new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 11, 21, 10, 0, 1, TimeSpan.Zero),
        CloseReason.ForceFlushed, ["guard:flush"], ["slot:fraud", "slot:x"], -3);

    [Fact]
    public void An_entry_round_trips_exactly_and_is_smaller_than_its_json()
    {
        var bytes = EntryCodec.Encode(Rich);

        Assert.True(EntryCodec.IsBinary(bytes));
        Assert.Equal(ContractsJson.Serialize(Rich), ContractsJson.Serialize(EntryCodec.Decode(bytes)));
        Assert.True(bytes.Length < System.Text.Encoding.UTF8.GetByteCount(ContractsJson.Serialize(Rich)) * 0.6, $"{bytes.Length} bytes");
    }

    [Fact]
    public void Every_truncation_and_a_trailing_byte_are_refused()
    {
        var bytes = EntryCodec.Encode(Rich);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => EntryCodec.Decode(bytes.AsSpan(0, length)));
        }
        Assert.Throws<InvalidDataException>(() => EntryCodec.Decode([.. bytes, 0]));
    }

    [Fact]
    public void Json_text_is_never_taken_for_the_binary_format()
    {
        Assert.False(EntryCodec.IsBinary(System.Text.Encoding.UTF8.GetBytes(ContractsJson.Serialize(Rich))));
        var error = Assert.Throws<InvalidDataException>(() => EntryCodec.Decode("{\"id\":1}"u8));
        Assert.Contains("magic", error.Message, StringComparison.Ordinal);
    }
}
