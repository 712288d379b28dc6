using System.Security.Cryptography;

namespace Aggregator.Actors.Entries;

/// <summary>
/// Unique entry ids without a random draw per id (a v7 Guid costs a system call on Linux): a random 64-bit prefix
/// per region, drawn once, then a counter. Unique across processes and restarts with overwhelming probability.
/// </summary>
internal sealed class EntryIds
{
    private readonly string prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private long next;

    public string Next() => string.Create(null, stackalloc char[40], $"{prefix}-{Interlocked.Increment(ref next):x}");
}
