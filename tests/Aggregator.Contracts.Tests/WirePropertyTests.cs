using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aggregator.Contracts.Wire;
using FsCheck;
using FsCheck.Fluent;

namespace Aggregator.Contracts.Tests;

/// <summary>
/// Any message the wire can carry, written by <see cref="WireMessageWriter"/>, reads back through
/// <see cref="WireMessageReader"/> as the same message: alone, as NDJSON and as a JSON array.
/// </summary>
/// <remarks>
/// "The same" is exact: doubles bit for bit (so -0 stays -0), timestamps with their offset, deadlines to the tick.
/// Two field value kinds have no wire form of their own and are mapped, as documented in docs/wire.md: a Duration is
/// written as its exact milliseconds with unit "ms" and reads back as a Number in ms with unit ms (the nearest double
/// to ticks / 10,000, whatever unit the duration had); a Timestamp is written as its ISO-8601 string and reads back as
/// a String (covered by an example in <see cref="WireShapeTests"/>, left out here). Generated messages stay within
/// <see cref="WireLimits.Default"/> and what the reader accepts (finite numbers, non-negative deltas, positive deadlines).
/// </remarks>
public sealed class WirePropertyTests
{
    private static readonly WireLimits Limits = WireLimits.Default;

    /// <summary>Pieces of text: plain ASCII, characters JSON must escape, ones the default encoder escapes, other scripts, and surrogate pairs. Never NUL, which the reader refuses (see NulCharacterTests).</summary>
    private static readonly Gen<string> Piece = Gen.OneOf(
        Gen.Elements("a", "Z", "0", "-", "_", ".", " ", "e-1", "Region"),
        Gen.Elements("\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0001", "\u001F", "\u007F"),
        Gen.Elements("<", ">", "&", "'", "+", "`", "\u2028", "\u2029", "\uFEFF"),
        Gen.Elements("é", "ß", "µ", "✓", "中文", "ل", "\u0301", "\uFFFD", "\uFFFF"),
        Gen.Elements("😀", "𝄞", "\U0010FFFF", "\U00010000"),
        Gen.Choose(0x20, 0xD7FF).Select(c => ((char)c).ToString()),
        Gen.Choose(0x10000, 0x10FFFF).Select(char.ConvertFromUtf32));

    private static Gen<string> Text(int minLength, int maxLength) =>
        Gen.Sized(size => Gen.Choose(0, Math.Max(1, Math.Min(size, 30))))
            .SelectMany(n => Gen.ListOf(Piece, n))
            .Select(pieces => string.Concat(pieces))
            .SelectMany(text => text.Length >= minLength ? Gen.Constant(text) : Gen.Constant(text + "x"))
            .Select(text => Cut(text, maxLength));

    /// <summary>Occasionally a name of exactly the longest length allowed.</summary>
    private static readonly Gen<string> Names = Gen.Frequency(
        (20, Text(1, Limits.MaxNameLength)),
        (1, Gen.Elements('n', 'é', '"').Select(c => new string(c, Limits.MaxNameLength))));

    private static readonly Gen<string> Strings = Gen.Frequency(
        (20, Text(0, Limits.MaxStringLength)),
        (1, Gen.Constant(new string('v', Limits.MaxStringLength))));

    private static readonly Gen<long> AnyLong =
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select ((long)high << 32) | (uint)low;

    private static Gen<long> LongBetween(long min, long max) =>
        Gen.OneOf(
            AnyLong.Select(l => min + (long)((ulong)l % (ulong)(max - min + 1))),
            Gen.Choose(0, 100_000).Select(n => Math.Min(max, min + n)),
            Gen.Elements(min, max));

    private static readonly Gen<double> FiniteDoubles = Gen.OneOf(
        AnyLong.Select(BitConverter.Int64BitsToDouble).Where(double.IsFinite),
        Gen.Choose(-1_000_000, 1_000_000).Select(n => n / 64.0),
        Gen.Elements(0.0, -0.0, double.Epsilon, -double.Epsilon, double.MaxValue, double.MinValue, 0.1, 1e-300, 123456789012345680000.0));

    private static readonly Gen<FieldUnit> Units = Gen.Elements(Enum.GetValues<FieldUnit>());

    private static readonly Gen<FieldValue> Values = Gen.OneOf(
        from n in FiniteDoubles from u in Units select FieldValue.Of(n, u),
        Strings.Select(FieldValue.Of),
        Gen.Elements(true, false).Select(FieldValue.Of),
        from t in AnyLong from u in Units select FieldValue.Of(TimeSpan.FromTicks(t), u));

    private static readonly long MaxDeadlineTicks = 461_168_601_842 * TimeSpan.TicksPerMillisecond;

    private static readonly Gen<TimeSpan?> Deadlines = Gen.OneOf(
        Gen.Constant<TimeSpan?>(null),
        LongBetween(1, MaxDeadlineTicks).Select(t => (TimeSpan?)TimeSpan.FromTicks(t)));

    private static readonly Gen<DateTimeOffset?> Instants = Gen.OneOf(
        Gen.Constant<DateTimeOffset?>(null),
        from ticks in LongBetween(DateTimeOffset.MinValue.Ticks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.Ticks - TimeSpan.TicksPerDay)
        from offsetMinutes in Gen.Choose(-14 * 60, 14 * 60)
        select (DateTimeOffset?)new DateTimeOffset(ticks, TimeSpan.FromMinutes(offsetMinutes)));

    private static readonly Gen<IReadOnlyDictionary<string, string>?> Dimensions =
        Gen.Choose(0, Limits.MaxDimensions).SelectMany(count =>
            Gen.ListOf(Gen.Zip(Names, Strings), count).Select(pairs =>
            {
                var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (key, value) in pairs) dimensions.TryAdd(key, value);
                return count == 0 ? null : (IReadOnlyDictionary<string, string>?)dimensions;
            }));

    private static readonly Gen<IEntryMessage> Messages = Names.SelectMany(entry => Gen.OneOf(
        from operation in Names from dimensions in Dimensions from force in Deadlines from max in Deadlines
        select (IEntryMessage)new Open(entry, operation, dimensions, force, max),
        from field in Names from value in Values select (IEntryMessage)new Set(entry, field, value),
        from counter in Names from delta in LongBetween(0, long.MaxValue) select (IEntryMessage)new Add(entry, counter, delta),
        from name in Names from value in FiniteDoubles from unit in Units select (IEntryMessage)new Observe(entry, name, value, unit),
        from timer in Names from at in Instants select (IEntryMessage)new StartTimer(entry, timer, at),
        from timer in Names from at in Instants select (IEntryMessage)new StopTimer(entry, timer, at),
        Gen.Constant((IEntryMessage)new Close(entry)),
        Gen.Constant((IEntryMessage)new Discard(entry)),
        from slot in Names from mode in Gen.Elements(SlotMode.Wait, SlotMode.Discard) select (IEntryMessage)new OpenSlot(entry, slot, mode),
        from slot in Names from field in Names from value in Values select (IEntryMessage)new SlotSet(entry, slot, field, value),
        from slot in Names from counter in Names from delta in LongBetween(0, long.MaxValue) select (IEntryMessage)new SlotAdd(entry, slot, counter, delta),
        from slot in Names from name in Names from value in FiniteDoubles from unit in Units select (IEntryMessage)new SlotObserve(entry, slot, name, value, unit),
        from slot in Names select (IEntryMessage)new CompleteSlot(entry, slot),
        from slot in Names from error in Strings select (IEntryMessage)new FailSlot(entry, slot, error),
        from guard in Names from force in Gen.Elements(true, false) select (IEntryMessage)new AcquireGuard(entry, guard, force),
        from guard in Names select (IEntryMessage)new ReleaseGuard(entry, guard)));

    /// <summary>The default encoder escapes every non-ASCII character; the relaxed one writes raw UTF-8, which the reader must read too.</summary>
    private static readonly Gen<JavaScriptEncoder?> Encoders = Gen.Elements<JavaScriptEncoder?>(null, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);

    private static byte[] Write(IEntryMessage message, JavaScriptEncoder? encoder)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            WireMessageWriter.Write(writer, message);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] WriteArray(IReadOnlyList<IEntryMessage> messages, JavaScriptEncoder? encoder)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            writer.WriteStartArray();
            foreach (var message in messages) WireMessageWriter.Write(writer, message);
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static IEntryMessage? ReadOne(byte[] json, out string? error)
    {
        var reader = new Utf8JsonReader(json);
        var message = new WireMessageReader().Read(ref reader, out error);
        Assert.False(reader.Read(), "the reader stopped before the end of the message");
        return message;
    }

    [Fact]
    public void Any_message_reads_back_as_itself_alone()
    {
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(Messages.ToArbitrary(), Encoders.ToArbitrary(), (message, encoder) =>
        {
            var json = Write(message, encoder);
            var read = ReadOne(json, out var error);
            return (read is not null && Equal(Expected(message), read)).Label($"{Encoding.UTF8.GetString(json)} read back as {read?.ToString() ?? error}");
        }));
    }

    [Fact]
    public void Any_batch_reads_back_as_itself_as_ndjson_and_as_an_array()
    {
        var batches = Gen.ListOf(Messages).Select(list => list.ToArray()).Where(list => list.Length > 0);
        var lineEnds = Gen.Elements("\n", "\r\n", "\n\n", "\r\n  \t\r\n");
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(100), Prop.ForAll(batches.ToArbitrary(), Encoders.ToArbitrary(), lineEnds.ToArbitrary(), (messages, encoder, lineEnd) =>
        {
            var ndjson = messages.SelectMany(m => Write(m, encoder).Concat(Encoding.UTF8.GetBytes(lineEnd))).ToArray();
            var array = WriteArray(messages, encoder);

            var fromLines = WireBatchReader.Read(ndjson, WireBodyFormat.NdJson);
            var fromArray = WireBatchReader.Read(array, WireBodyFormat.JsonArray);

            return (AllEqual(messages, fromLines) && AllEqual(messages, fromArray) && SourcesReadBack(ndjson, fromLines) && SourcesReadBack(array, fromArray))
                .Label($"NDJSON rejected {string.Join("; ", fromLines.Rejected)}; array rejected {string.Join("; ", fromArray.Rejected)}");
        }));
    }

    /// <summary>Each message's source range, read alone, is that message: what a forwarder passes on is exactly what was read.</summary>
    private static bool SourcesReadBack(byte[] body, WireBatch read) =>
        read.Sources.Count == read.Messages.Count
        && read.Sources.Zip(read.Messages).All(p => ReadOne(body[p.First], out _) is { } alone && Equal(p.Second, alone));

    [Fact]
    public void Sources_skip_rejected_messages_and_blank_lines()
    {
        var body = "\n{\"op\":\"close\",\"entry\":\"a\"}\r\n{\"op\":\"nope\",\"entry\":\"b\"}\n\n{\"op\":\"discard\",\"entry\":\"c\"}"u8.ToArray();
        var read = WireBatchReader.Read(body, WireBodyFormat.NdJson);
        Assert.Equal(["{\"op\":\"close\",\"entry\":\"a\"}\r", "{\"op\":\"discard\",\"entry\":\"c\"}"], read.Sources.Select(r => Encoding.UTF8.GetString(body[r])));
        var array = "[ {\"op\":\"close\",\"entry\":\"a\"},\n 7, {\"op\":\"discard\",\n \"entry\":\"c\"} ]"u8.ToArray();
        read = WireBatchReader.Read(array, WireBodyFormat.JsonArray);
        Assert.Equal(["{\"op\":\"close\",\"entry\":\"a\"}", "{\"op\":\"discard\",\n \"entry\":\"c\"}"], read.Sources.Select(r => Encoding.UTF8.GetString(array[r])));
    }

    private static bool AllEqual(IEntryMessage[] written, WireBatch read) =>
        read.Rejected.Count == 0 && read.Messages.Count == written.Length && written.Zip(read.Messages).All(p => Equal(Expected(p.First), p.Second));

    /// <summary>What a message reads back as: the same, except that a Duration field value becomes a Number in ms with unit ms.</summary>
    private static IEntryMessage Expected(IEntryMessage message) => message switch
    {
        Set set => set with { Value = OnTheWire(set.Value) },
        SlotSet set => set with { Value = OnTheWire(set.Value) },
        _ => message,
    };

    private static FieldValue OnTheWire(FieldValue value) => value.Kind == FieldKind.Duration
        ? FieldValue.Of(double.Parse(((decimal)value.Duration.Ticks / TimeSpan.TicksPerMillisecond).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture), FieldUnit.Milliseconds)
        : value;

    /// <summary>Exact equality: doubles bit for bit, timestamps with their offset, dimensions by content (none and empty alike).</summary>
    private static bool Equal(IEntryMessage expected, IEntryMessage actual) => (expected, actual) switch
    {
        (Open e, Open a) => e.EntryId == a.EntryId && e.Operation == a.Operation && e.ForceFlushAfter == a.ForceFlushAfter && e.MaxLifetime == a.MaxLifetime
            && SameDimensions(e.Dimensions, a.Dimensions),
        (Set e, Set a) => e.EntryId == a.EntryId && e.Field == a.Field && Same.Value(e.Value, a.Value),
        (SlotSet e, SlotSet a) => e.EntryId == a.EntryId && e.Slot == a.Slot && e.Field == a.Field && Same.Value(e.Value, a.Value),
        (Observe e, Observe a) => e with { Value = 0 } == a with { Value = 0 } && Same.Number(e.Value, a.Value),
        (SlotObserve e, SlotObserve a) => e with { Value = 0 } == a with { Value = 0 } && Same.Number(e.Value, a.Value),
        (StartTimer e, StartTimer a) => e.EntryId == a.EntryId && e.Timer == a.Timer && SameInstant(e.At, a.At),
        (StopTimer e, StopTimer a) => e.EntryId == a.EntryId && e.Timer == a.Timer && SameInstant(e.At, a.At),
        _ => expected.GetType() == actual.GetType() && expected.Equals(actual),
    };

    private static bool SameInstant(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b is null : b is not null && Same.Timestamp(a.Value, b.Value);

    private static bool SameDimensions(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && string.Equals(p.Value, v, StringComparison.Ordinal));
    }

    /// <summary>At most <paramref name="maxLength"/> UTF-16 units, never splitting a surrogate pair.</summary>
    private static string Cut(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        var cut = char.IsHighSurrogate(text[maxLength - 1]) ? maxLength - 1 : maxLength;
        return cut == 0 ? "x" : text[..cut];
    }

    [Fact]
    public void The_generators_reach_the_edges()
    {
        var sample = Gen.Sample(Messages, 2000, 50);
        Assert.Contains(sample, m => m is Set { Value.Kind: FieldKind.Duration });
        Assert.Contains(sample, m => m.EntryId.Length == Limits.MaxNameLength);
        Assert.Contains(sample, m => m.EntryId.Any(char.IsSurrogate));
        Assert.Contains(sample, m => m.EntryId.Contains('"'));
        Assert.Contains(sample, m => m is Open { Dimensions.Count: > 20 });
        Assert.Equal(16, sample.Select(m => m.GetType()).Distinct().Count());
    }
}
