using System.Security.Cryptography;

namespace Aggregator.Contracts.Client;

/// <summary>
/// Entry ids unique across producers without a random draw per id: a random 64-bit prefix per client, drawn once,
/// then a counter. Two clients collide only if their prefixes do: by the birthday bound about n²/2^65 for n clients,
/// under one in ten million for a million clients.
/// </summary>
internal sealed class ClientEntryIds
{
    private readonly string prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
    private long next;

    public string Next() => string.Create(null, stackalloc char[40], $"{prefix}-{Interlocked.Increment(ref next):x}");
}
