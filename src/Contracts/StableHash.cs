namespace Aggregator.Contracts;

/// <summary>
/// FNV-1a over the id's UTF-16 code units. <see cref="string.GetHashCode()"/> is randomised per process, and shard
/// ownership must agree across restarts and pods, so routing uses this instead.
/// </summary>
public static class StableHash
{
    public static uint Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ (byte)c) * 16777619u;
            hash = (hash ^ (uint)(c >> 8)) * 16777619u;
        }
        return hash;
    }
}
