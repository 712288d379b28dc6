using System.Buffers.Binary;
using System.Text;

namespace Aggregator.Actors.Sinks.Aggregates;

/// <summary>Appends the codec's primitives (varints, zigzag varints, little-endian doubles, UTF-8 strings) to a growing buffer.</summary>
internal sealed class StateWriter
{
    private byte[] buffer = new byte[256];
    private int length;

    public void Byte(byte value)
    {
        Ensure(1);
        buffer[length++] = value;
    }

    public void VarUInt(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            buffer[length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[length++] = (byte)value;
    }

    public void VarInt(long value) => VarUInt((ulong)((value << 1) ^ (value >> 63)));

    public void Double(double value)
    {
        Ensure(8);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(length), value);
        length += 8;
    }

    public void String(string value)
    {
        var bytes = Encoding.UTF8.GetByteCount(value);
        VarUInt((ulong)bytes);
        Ensure(bytes);
        length += Encoding.UTF8.GetBytes(value, buffer.AsSpan(length));
    }

    public byte[] ToArray() => buffer.AsSpan(0, length).ToArray();

    private void Ensure(int more)
    {
        if (length + more <= buffer.Length) return;
        Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + more));
    }
}
