using System.Buffers.Binary;
using System.Text;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>
/// Reads the codec's primitives back, never throwing: each read returns false and leaves the reason in
/// <see cref="Error"/> (what was being read and at which byte), so a corrupt blob is reported, not a crash.
/// </summary>
internal ref struct StateReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> data;
    private int position;

    public StateReader(ReadOnlySpan<byte> data) => this.data = data;

    public string? Error { get; private set; }

    public readonly int Position => position;

    public readonly int Remaining => data.Length - position;

    public bool Fail(string reason)
    {
        Error ??= $"{reason} (at byte {position} of {data.Length})";
        return false;
    }

    /// <summary>Prefixes the failure with where it happened (a metric, a store); builds the text only on failure.</summary>
    public bool Within(string context)
    {
        Error = $"{context}: {Error}";
        return false;
    }

    public bool Byte(string what, out byte value)
    {
        value = 0;
        if (position >= data.Length) return Fail($"truncated: no byte left for {what}");
        value = data[position++];
        return true;
    }

    public bool VarUInt(string what, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length) return Fail($"truncated inside the varint of {what}");
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return shift < 63 || b <= 1 || Fail($"varint of {what} overflows 64 bits");
        }
        return Fail($"varint of {what} is longer than 10 bytes");
    }

    /// <summary>A non-negative count that must fit a long.</summary>
    public bool Count(string what, out long value)
    {
        value = 0;
        if (!VarUInt(what, out var raw)) return false;
        if (raw > long.MaxValue) return Fail($"{what} {raw} does not fit a 64-bit count");
        value = (long)raw;
        return true;
    }

    public bool VarInt(string what, out long value)
    {
        value = 0;
        if (!VarUInt(what, out var raw)) return false;
        value = (long)(raw >> 1) ^ -(long)(raw & 1);
        return true;
    }

    public bool Double(string what, out double value)
    {
        value = 0;
        if (Remaining < 8) return Fail($"truncated: {Remaining} of 8 bytes left for {what}");
        value = BinaryPrimitives.ReadDoubleLittleEndian(data[position..]);
        position += 8;
        return true;
    }

    public bool String(string what, out string value)
    {
        value = "";
        if (!Count($"length of {what}", out var length)) return false;
        if (length > Remaining) return Fail($"truncated: {what} claims {length} bytes, {Remaining} left");
        try
        {
            value = StrictUtf8.GetString(data.Slice(position, (int)length));
        }
        catch (DecoderFallbackException)
        {
            return Fail($"{what} is not valid UTF-8");
        }
        position += (int)length;
        return true;
    }
}
