using System.Buffers;

namespace Aggregator.Contracts.Client;

/// <summary>
/// A growable byte buffer over <see cref="ArrayPool{T}.Shared"/>, reused batch after batch by one sender, so a steady
/// producer serializes every request body without allocating. <see cref="Truncate"/> takes back a message that
/// failed half-way through being written.
/// </summary>
internal sealed class PooledBuffer(int initialCapacity) : IBufferWriter<byte>, IDisposable
{
    private byte[] array = ArrayPool<byte>.Shared.Rent(initialCapacity);
    private int written;

    public int Length => written;

    public ReadOnlyMemory<byte> Written => array.AsMemory(0, written);

    public void Advance(int count)
    {
        if (count < 0 || written + count > array.Length) throw new ArgumentOutOfRangeException(nameof(count));
        written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return array.AsMemory(written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return array.AsSpan(written);
    }

    public void WriteByte(byte value)
    {
        Ensure(1);
        array[written++] = value;
    }

    public void Truncate(int length) => written = Math.Clamp(length, 0, written);

    public void Clear() => written = 0;

    public void Dispose()
    {
        var returned = array;
        array = [];
        written = 0;
        if (returned.Length > 0) ArrayPool<byte>.Shared.Return(returned);
    }

    private void Ensure(int sizeHint)
    {
        var needed = written + Math.Max(sizeHint, 1);
        if (needed <= array.Length) return;
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, array.Length * 2));
        array.AsSpan(0, written).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(array);
        array = larger;
    }
}
