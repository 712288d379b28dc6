namespace Aggregator.Contracts.Wire;

/// <summary>
/// The body as a whole cannot be read (empty, not JSON, not an array): nothing in it was applied. Carries where
/// reading stopped so the producer can find the fault.
/// </summary>
public sealed class WireFormatException(string message, long line = 0, long bytePositionInLine = 0, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>0-based line of the fault.</summary>
    public long Line { get; } = line;

    /// <summary>0-based byte offset of the fault within its line.</summary>
    public long BytePositionInLine { get; } = bytePositionInLine;
}
