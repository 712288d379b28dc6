using System.Security.Cryptography;

namespace Aggregator.Contracts.Client;

/// <summary>
/// Entry ids unique across producers without a random draw per id: a random 64-bit prefix per client, drawn once,
/// then a counter. Two clients collide only if their prefixes do (about one in 2^32 after 2^32 clients).
/// </summary>
internal sealed class ClientEntryIds
{
    private readonly string prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private long next;

    public string Next() => string.Create(null, stackalloc char[40], $"{prefix}-{Interlocked.Increment(ref next):x}");
}
