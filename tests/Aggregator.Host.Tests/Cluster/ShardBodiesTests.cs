using System.Text;
using Aggregator.Contracts;
using Aggregator.Contracts.Wire;
using Aggregator.Transport;

namespace Aggregator.Host.Tests.Cluster;

/// <summary>
/// A request's shard bodies copied from the bytes it arrived in say exactly what writing its messages again says:
/// the same messages per shard, in request order, one per line, whatever the request's format or layout.
/// </summary>
public sealed class ShardBodiesTests
{
    private static readonly ShardQueues Queues = new("q", 4);

    private static readonly IEntryMessage[] Messages =
    [
        .. Enumerable.Range(0, 12).SelectMany(i => new IEntryMessage[]
        {
            new Open($"e{i}", "Op", new Dictionary<string, string> { ["region"] = "eu-\"west\"" }),
            new Set($"e{i}", "name", FieldValue.Of("ducks\nand geese")),
            new Add($"e{i}", "n", i),
            new Close($"e{i}"),
        }),
    ];

    public static TheoryData<string, string> Layouts => new()
    {
        { "NDJSON", string.Join("\n", Messages.Select(Line)) + "\n" },
        { "NDJSON with CRLF and blank lines", "\r\n" + string.Join("\r\n\r\n", Messages.Select(Line)) },
        { "compact array", "[" + string.Join(",", Messages.Select(Line)) + "]" },
        { "pretty-printed array", "[\n  " + string.Join(",\n  ", Messages.Select(m => Line(m).Replace(",\"", ",\n    \"", StringComparison.Ordinal))) + "\n]" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void Copied_bodies_hold_the_same_messages_per_shard_as_written_ones(string layout, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var batch = WireBatchReader.Read(bytes, body.TrimStart().StartsWith('[') ? WireBodyFormat.JsonArray : WireBodyFormat.NdJson);
        Assert.Equal(Messages.Length, batch.Messages.Count);

        var copied = ShardBodies.Copy(Queues, batch, bytes);
        var written = ShardBodies.Write(Queues, batch.Messages);

        Assert.Equal(written.Keys, copied.Keys);
        foreach (var (shard, shardBody) in copied)
        {
            var fromCopy = WireBatchReader.Read(shardBody.Span, WireBodyFormat.NdJson);
            Assert.True(fromCopy.Rejected.Count == 0, $"{layout}: shard {shard} body has unreadable lines: {string.Join("; ", fromCopy.Rejected)}");
            Assert.Equal(Messages.Where(m => Queues.ShardOf(m.EntryId) == shard), fromCopy.Messages, new MessageComparer());
            Assert.Equal(WireBatchReader.Read(written[shard].Span, WireBodyFormat.NdJson).Messages, fromCopy.Messages, new MessageComparer());
        }
    }

    [Fact]
    public void A_body_without_sources_is_written_again()
    {
        var batch = new WireBatch(Messages, []);
        var copied = ShardBodies.Copy(Queues, batch, default);
        Assert.Equal(Messages.Length, copied.Values.Sum(b => WireBatchReader.Read(b.Span, WireBodyFormat.NdJson).Messages.Count));
    }

    private static string Line(IEntryMessage message) => Encoding.UTF8.GetString(ShardBodies.Write(new ShardQueues("one", 1), [message])[0].Span).TrimEnd('\n');

    /// <summary>Messages are records; an Open's dimensions are a dictionary, compared by content.</summary>
    private sealed class MessageComparer : IEqualityComparer<IEntryMessage>
    {
        public bool Equals(IEntryMessage? x, IEntryMessage? y) => (x, y) switch
        {
            (Open a, Open b) => a with { Dimensions = null } == b with { Dimensions = null }
                                && a.Dimensions!.OrderBy(p => p.Key).SequenceEqual(b.Dimensions!.OrderBy(p => p.Key)),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(IEntryMessage obj) => obj.EntryId.GetHashCode(StringComparison.Ordinal);
    }
}
