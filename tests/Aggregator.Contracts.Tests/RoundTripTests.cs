using System.Text;
using System.Text.Json;
using Aggregator.Contracts.Json;
using Aggregator.Contracts.Wire;

namespace Aggregator.Contracts.Tests;

/// <summary>Whatever a producer or the service writes reads back as the same record, so the wire never loses data.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string> MessageTypes() => new(Samples.EveryMessage().Select(m => m.GetType().Name));

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Every_message_type_round_trips_through_its_op(string typeName)
    {
        var message = Samples.EveryMessage().Single(m => m.GetType().Name == typeName);

        var read = ContractsJson.DeserializeMessage(ContractsJson.Serialize(message));

        Same.Message(message, read);
    }

    [Fact]
    public void The_samples_cover_every_message_record_in_the_contracts()
    {
        var declared = typeof(IEntryMessage).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEntryMessage).IsAssignableFrom(t))
            .Select(t => t.Name).Order();

        Assert.Equal(declared, Samples.EveryMessage().Select(m => m.GetType().Name).Order());
    }

    [Fact]
    public void Optional_parts_left_out_read_back_as_their_defaults()
    {
        IEntryMessage[] minimal = [new Open("e1", "op"), new Observe("e1", "d", 1), new StartTimer("e1", "t"), new OpenSlot("e1", "s"), new AcquireGuard("e1", "g")];

        var read = ContractsJson.DeserializeBatch(ContractsJson.SerializeBatch(minimal));

        Assert.Equal(minimal.Length, read.Count);
        for (var i = 0; i < minimal.Length; i++) Same.Message(minimal[i], read[i]);
    }

    [Fact]
    public void A_mixed_batch_reads_back_as_the_same_records_in_order()
    {
        var batch = Samples.EveryMessage().Concat(Samples.EveryMessage().Reverse()).ToArray();

        var read = ContractsJson.DeserializeBatch(ContractsJson.SerializeBatch(batch));

        Assert.Equal(batch.Length, read.Count);
        for (var i = 0; i < batch.Length; i++) Same.Message(batch[i], read[i]);
    }

    [Fact]
    public void A_batch_reads_the_same_as_ndjson_of_the_single_messages()
    {
        var ndjson = string.Join("\n", Samples.EveryMessage().Select(ContractsJson.Serialize));

        var read = WireBatchReader.Read(Encoding.UTF8.GetBytes(ndjson), WireBodyFormat.NdJson);

        Assert.Empty(read.Rejected);
        Assert.Equal(Samples.EveryMessage().Count, read.Messages.Count);
        for (var i = 0; i < read.Messages.Count; i++) Same.Message(Samples.EveryMessage()[i], read.Messages[i]);
    }

    [Fact]
    public void A_batch_reads_the_same_from_utf8_bytes()
    {
        var json = ContractsJson.SerializeBatch(Samples.EveryMessage());

        var read = ContractsJson.DeserializeBatch(Encoding.UTF8.GetBytes(json));

        Assert.Equal(Samples.EveryMessage().Count, read.Count);
    }

    [Fact]
    public void A_full_closed_entry_round_trips_exactly()
    {
        var entry = Samples.FullEntry();

        var json = ContractsJson.Serialize(entry);
        var read = ContractsJson.DeserializeClosedEntry(json);

        Same.Entry(entry, read);
        Assert.Equal(json, ContractsJson.Serialize(read));
    }

    [Fact]
    public void Every_field_shape_round_trips_exactly_on_its_own()
    {
        foreach (var (name, value) in Samples.EveryFieldShape())
        {
            var json = JsonSerializer.Serialize(value, ContractsJsonContext.Default.FieldValue);
            var read = JsonSerializer.Deserialize(json, ContractsJsonContext.Default.FieldValue);
            Assert.True(Same.Value(value, read), $"{name}: {json} read back as {read}");
        }
    }
}
