using System.Security.Cryptography;

namespace Aggregator.Contracts;

/// <summary>
/// Unique entry ids without a random draw per id (a v7 Guid costs a system call on Linux): a random 64-bit prefix per
/// instance (an entry region, a producer client), drawn once, then a counter. Two instances collide only if their
/// prefixes do: by the birthday bound about n²/2^65 for n instances, under one in ten million for a million of them.
/// </summary>
public sealed class EntryIds
{
    private readonly string prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private long next;

    public string Next() => string.Create(null, stackalloc char[40], $"{prefix}-{Interlocked.Increment(ref next):x}");
}
