using System.Buffers.Binary;
using System.Text;
using Aggregator.Contracts;

namespace Aggregator.Actors.Persistence;

/// <summary>
/// The journal's compact payload: a closed entry as bytes, about half the size of its JSON and several times cheaper
/// to write and read. The stores keep what is written with it as a blob (SQLite) or <c>bytea</c> (PostgreSQL) and still
/// read the JSON text payloads that older builds wrote. The entry is whole (its id and operation too, although the row
/// has them in columns), so a payload can be checked against its row and decoded without it.
/// <para>
/// Layout, version 1 (integers little-endian; "varint" is unsigned LEB128, "zigzag" a signed varint; a string is a
/// varint byte length and UTF-8): <c>0xAE 0x01</c> (magic and version), id, operation, dimensions (varint count, then
/// name and value), fields (varint count, then name, kind byte, unit byte and the value: a number as an IEEE double,
/// a string, a bool byte, a duration as zigzag ticks, a timestamp as zigzag ticks and the offset's minutes as int16),
/// counters (count, name, zigzag), distributions (count, name, varint count, sum, min, max as doubles, unit byte,
/// varint quantile count, quantile and value as doubles), opened at and closed at (zigzag ticks and int16 offset
/// minutes each), close reason byte, pending and failed slots (count, strings), zigzag in-flight-at-open.
/// </para>
/// <para>The first byte can never start JSON text (0xAE is not valid as the first byte of UTF-8), so a reader can tell the
/// two formats apart by their first byte alone.</para>
/// </summary>
public static class EntryCodec
{
    public const byte Magic = 0xAE;
    public const byte Version = 1;

    [ThreadStatic] private static byte[]? buffer;

    /// <summary>True when the bytes are this codec's (not a JSON text payload).</summary>
    public static bool IsBinary(ReadOnlySpan<byte> payload) => payload.Length >= 2 && payload[0] == Magic;

    public static byte[] Encode(ClosedEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var w = new Writer(buffer ??= new byte[512]);
        w.Byte(Magic);
        w.Byte(Version);
        w.String(entry.Id);
        w.String(entry.Operation);
        w.VarUInt((ulong)entry.Dimensions.Count);
        if (entry.Dimensions is Dictionary<string, string> dimensions)
        {
            foreach (var (name, value) in dimensions) w.Pair(name, value);
        }
        else
        {
            foreach (var (name, value) in entry.Dimensions) w.Pair(name, value);
        }
        w.VarUInt((ulong)entry.Fields.Count);
        if (entry.Fields is Dictionary<string, FieldValue> fields)
        {
            foreach (var (name, value) in fields) w.Field(name, value);
        }
        else
        {
            foreach (var (name, value) in entry.Fields) w.Field(name, value);
        }
        w.VarUInt((ulong)entry.Counters.Count);
        if (entry.Counters is Dictionary<string, long> counters)
        {
            foreach (var (name, value) in counters) w.Counter(name, value);
        }
        else
        {
            foreach (var (name, value) in entry.Counters) w.Counter(name, value);
        }
        w.VarUInt((ulong)entry.Distributions.Count);
        foreach (var (name, summary) in entry.Distributions)
        {
            w.String(name);
            w.VarInt(summary.Count);
            w.Double(summary.Sum);
            w.Double(summary.Min);
            w.Double(summary.Max);
            w.Byte((byte)summary.Unit);
            w.VarUInt((ulong)summary.Quantiles.Count);
            foreach (var quantile in summary.Quantiles)
            {
                w.Double(quantile.Quantile);
                w.Double(quantile.Value);
            }
        }
        w.Timestamp(entry.OpenedAt);
        w.Timestamp(entry.ClosedAt);
        w.Byte((byte)entry.CloseReason);
        w.Strings(entry.Pending);
        w.Strings(entry.FailedSlots);
        w.VarInt(entry.InFlightAtOpen);
        buffer = w.Buffer; // keep the grown buffer for the next entry on this thread
        return w.Written.ToArray();
    }

    /// <summary>The entry, or an <see cref="InvalidDataException"/> saying what is wrong and at which byte.</summary>
    public static ClosedEntry Decode(ReadOnlySpan<byte> payload)
    {
        var r = new Reader(payload);
        if (r.Byte() != Magic) throw new InvalidDataException("binary entry: bad magic byte");
        var version = r.Byte();
        if (version != Version) throw new InvalidDataException($"binary entry: version {version} is not the {Version} this build reads");
        var id = r.String();
        var operation = r.String();
        var dimensionCount = r.Count();
        var dimensions = new Dictionary<string, string>(dimensionCount, StringComparer.Ordinal);
        for (var i = 0; i < dimensionCount; i++) dimensions[r.String()] = r.String();
        var fieldCount = r.Count();
        var fields = new Dictionary<string, FieldValue>(fieldCount, StringComparer.Ordinal);
        for (var i = 0; i < fieldCount; i++)
        {
            var name = r.String();
            var kind = (FieldKind)r.Byte();
            var unit = (FieldUnit)r.Byte();
            if (!Enum.IsDefined(unit)) throw r.Bad($"field {name} has unknown unit {(int)unit}");
            fields[name] = kind switch
            {
                FieldKind.Number => FieldValue.Of(r.Double(), unit),
                FieldKind.String => FieldValue.Of(r.String()),
                FieldKind.Bool => FieldValue.Of(r.Byte() != 0),
                FieldKind.Duration => FieldValue.Of(new TimeSpan(r.VarInt()), unit),
                FieldKind.Timestamp => FieldValue.Of(r.Timestamp()),
                _ => throw r.Bad($"field {name} has unknown kind {(int)kind}"),
            };
        }
        var counterCount = r.Count();
        var counters = new Dictionary<string, long>(counterCount, StringComparer.Ordinal);
        for (var i = 0; i < counterCount; i++) counters[r.String()] = r.VarInt();
        var distributionCount = r.Count();
        var distributions = new Dictionary<string, DistributionSummary>(distributionCount, StringComparer.Ordinal);
        for (var i = 0; i < distributionCount; i++)
        {
            var name = r.String();
            var count = r.VarInt();
            var sum = r.Double();
            var min = r.Double();
            var max = r.Double();
            var unit = (FieldUnit)r.Byte();
            if (!Enum.IsDefined(unit)) throw r.Bad($"distribution {name} has unknown unit {(int)unit}");
            var quantiles = new QuantileValue[r.Count()];
            for (var q = 0; q < quantiles.Length; q++) quantiles[q] = new QuantileValue(r.Double(), r.Double());
            distributions[name] = new DistributionSummary(count, sum, min, max, unit, quantiles);
        }
        var openedAt = r.Timestamp();
        var closedAt = r.Timestamp();
        var reason = (CloseReason)r.Byte();
        if (!Enum.IsDefined(reason)) throw r.Bad($"unknown close reason {(int)reason}");
        var pending = r.Strings();
        var failed = r.Strings();
        var inFlight = r.VarInt();
        if (!r.AtEnd) throw r.Bad("bytes left after the entry");
        return new ClosedEntry(id, operation, dimensions, fields, counters, distributions, openedAt, closedAt, reason, pending, failed, inFlight);
    }

    /// <summary>Writes into a thread's reusable buffer, growing it (doubling) when an entry does not fit.</summary>
    private ref struct Writer(byte[] buffer)
    {
        private int position;

        public byte[] Buffer { get; private set; } = buffer;

        public readonly ReadOnlySpan<byte> Written => Buffer.AsSpan(0, position);

        public void Byte(byte value)
        {
            Ensure(1);
            Buffer[position++] = value;
        }

        public void VarUInt(ulong value)
        {
            Ensure(10);
            var span = Buffer;
            while (value >= 0x80)
            {
                span[position++] = (byte)(value | 0x80);
                value >>= 7;
            }
            span[position++] = (byte)value;
        }

        public void VarInt(long value) => VarUInt((ulong)((value << 1) ^ (value >> 63)));

        public void Double(double value)
        {
            Ensure(8);
            BinaryPrimitives.WriteDoubleLittleEndian(Buffer.AsSpan(position), value);
            position += 8;
        }

        public void Timestamp(DateTimeOffset value)
        {
            VarInt(value.Ticks);
            Ensure(2);
            BinaryPrimitives.WriteInt16LittleEndian(Buffer.AsSpan(position), (short)value.TotalOffsetMinutes);
            position += 2;
        }

        public void String(string value)
        {
            // Short strings (all but a few) have a one-byte length: encode straight after it and fill it in, instead of
            // counting the UTF-8 bytes first.
            if (value.Length <= 42)
            {
                Ensure(1 + value.Length * 3);
                var written = Encoding.UTF8.GetBytes(value, Buffer.AsSpan(position + 1));
                Buffer[position] = (byte)written;
                position += 1 + written;
                return;
            }
            var length = Encoding.UTF8.GetByteCount(value);
            VarUInt((ulong)length);
            Ensure(length);
            Encoding.UTF8.GetBytes(value, Buffer.AsSpan(position));
            position += length;
        }

        public void Strings(IReadOnlyList<string> values)
        {
            VarUInt((ulong)values.Count);
            for (var i = 0; i < values.Count; i++) String(values[i]);
        }

        public void Pair(string name, string value)
        {
            String(name);
            String(value);
        }

        public void Counter(string name, long value)
        {
            String(name);
            VarInt(value);
        }

        public void Field(string name, FieldValue value)
        {
            String(name);
            Ensure(2);
            Buffer[position++] = (byte)value.Kind;
            Buffer[position++] = (byte)value.Unit;
            switch (value.Kind)
            {
                case FieldKind.Number: Double(value.Number); break;
                case FieldKind.String: String(value.Text ?? ""); break;
                case FieldKind.Bool: Byte(value.Flag ? (byte)1 : (byte)0); break;
                case FieldKind.Duration: VarInt(value.Duration.Ticks); break;
                case FieldKind.Timestamp: Timestamp(value.Timestamp); break;
                default: throw new ArgumentException($"field {name}: unknown kind {value.Kind}", nameof(value));
            }
        }

        private void Ensure(int length)
        {
            if (Buffer.Length - position >= length) return;
            var grown = new byte[Math.Max(Buffer.Length * 2, position + length)];
            Buffer.AsSpan(0, position).CopyTo(grown);
            Buffer = grown;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> input)
    {
        private readonly ReadOnlySpan<byte> input = input;
        private int position;

        public readonly bool AtEnd => position == input.Length;

        public readonly InvalidDataException Bad(string what) => new($"binary entry: {what} (at byte {position} of {input.Length})");

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length < 0 || length > input.Length - position) throw Bad($"needs {length} more bytes, has {input.Length - position}");
            var span = input.Slice(position, length);
            position += length;
            return span;
        }

        public byte Byte() => Take(1)[0];

        public ulong VarUInt()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw Bad("varint longer than 10 bytes");
        }

        public long VarInt()
        {
            var raw = VarUInt();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        public int Count()
        {
            var count = VarUInt();
            // Every item takes at least one byte, so a count beyond what is left is corrupt (and must not size an allocation).
            if (count > (ulong)(input.Length - position)) throw Bad($"count {count} exceeds the bytes left");
            return (int)count;
        }

        public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

        public DateTimeOffset Timestamp()
        {
            var ticks = VarInt();
            var offset = BinaryPrimitives.ReadInt16LittleEndian(Take(2));
            try
            {
                return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offset));
            }
            catch (ArgumentException ex)
            {
                throw Bad($"timestamp ticks {ticks} offset {offset} min: {ex.Message}");
            }
        }

        public string String()
        {
            var length = Count();
            try
            {
                return StrictUtf8.GetString(Take(length));
            }
            catch (DecoderFallbackException ex)
            {
                throw Bad($"string is not UTF-8: {ex.Message}");
            }
        }

        public string[] Strings()
        {
            var values = new string[Count()];
            for (var i = 0; i < values.Length; i++) values[i] = String();
            return values;
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
