using System.Text.RegularExpressions;

namespace Aggregator.Host.Configuration;

/// <summary>
/// Cluster mode (section <c>Aggregator:Cluster</c>, on when <c>Aggregator:Mode</c> is <c>cluster</c>): shards are
/// RabbitMQ queues, pod k of <see cref="Nodes"/> owns the shards assigned to its ordinal, PostgreSQL holds journal,
/// aggregates, checkpoints and membership. Single-node mode ignores this section.
/// </summary>
public sealed partial class ClusterOptions
{
    /// <summary>The AMQP URI of RabbitMQ, credentials included (from a Secret in Kubernetes).</summary>
    public string? RabbitMqUri { get; set; }

    /// <summary>Shard queues, fixed for the life of a cluster; about 10× the largest pod count you expect.</summary>
    public int Shards { get; set; } = 32;

    /// <summary>How many pods share the shards (the StatefulSet's replicas).</summary>
    public int Nodes { get; set; } = 1;

    /// <summary>This pod's ordinal; empty means "from the host name" (<c>aggregator-2</c> is ordinal 2).</summary>
    public int? Ordinal { get; set; }

    /// <summary>This pod's name in the membership table; empty: the host name (plus "#ordinal" when the ordinal is configured).</summary>
    public string? NodeName { get; set; }

    /// <summary>Where other pods reach this pod's API (e.g. <c>http://aggregator-2.aggregator-headless:8080</c>); empty: http://&lt;host name&gt;:8080.</summary>
    public string? AdvertiseUrl { get; set; }

    /// <summary>Prefix of the shard queues' names: <c>&lt;prefix&gt;.&lt;shard&gt;</c>.</summary>
    public string QueuePrefix { get; set; } = "aggregator.shard";

    /// <summary>How often each owned shard checkpoints its open entries to PostgreSQL and acks what that covers.</summary>
    public int CheckpointIntervalSeconds { get; set; } = 5;

    /// <summary>How often this pod writes its heartbeat row; a member missing 3 is shown unreachable.</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>Unacknowledged deliveries RabbitMQ may push per shard consumer.</summary>
    public int Prefetch { get; set; } = 2000;

    /// <summary>The ordinal configured, else the number after the last '-' of <paramref name="hostName"/>, else null.</summary>
    public int? ResolveOrdinal(string hostName)
    {
        if (Ordinal is { } ordinal) return ordinal;
        var match = TrailingOrdinal().Match(hostName);
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Every setting that is wrong for cluster mode, each naming its key.</summary>
    public IEnumerable<string> Errors(string section, string store, string hostName)
    {
        if (store != "postgres") yield return $"Aggregator:Store must be 'postgres' in cluster mode (was '{store}'): every pod reads and writes the same journal.";
        if (string.IsNullOrWhiteSpace(RabbitMqUri)) yield return $"{section}:RabbitMqUri is required in cluster mode.";
        else if (!Uri.TryCreate(RabbitMqUri, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
            yield return $"{section}:RabbitMqUri must be an amqp:// or amqps:// URI.";
        if (Shards <= 0) yield return $"{section}:Shards must be greater than zero (was {Shards}).";
        if (Nodes <= 0) yield return $"{section}:Nodes must be greater than zero (was {Nodes}).";
        if (Nodes > Shards) yield return $"{section}:Nodes ({Nodes}) must not exceed {section}:Shards ({Shards}); a pod without a shard does nothing.";
        if (ResolveOrdinal(hostName) is not { } ordinal) yield return $"{section}:Ordinal is not set and the host name '{hostName}' does not end in -<ordinal>.";
        else if (ordinal < 0 || ordinal >= Nodes) yield return $"{section}:Ordinal {ordinal} is outside 0..{Nodes - 1} ({section}:Nodes is {Nodes}).";
        if (string.IsNullOrWhiteSpace(QueuePrefix)) yield return $"{section}:QueuePrefix must not be empty.";
        if (CheckpointIntervalSeconds <= 0) yield return $"{section}:CheckpointIntervalSeconds must be greater than zero (was {CheckpointIntervalSeconds}).";
        if (HeartbeatIntervalSeconds <= 0) yield return $"{section}:HeartbeatIntervalSeconds must be greater than zero (was {HeartbeatIntervalSeconds}).";
        if (Prefetch <= 0 || Prefetch > ushort.MaxValue) yield return $"{section}:Prefetch must be 1..{ushort.MaxValue} (was {Prefetch}).";
    }

    [GeneratedRegex(@"-(\d+)$")]
    private static partial Regex TrailingOrdinal();
}
