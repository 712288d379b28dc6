using System.Text.RegularExpressions;
using Npgsql;
using NpgsqlTypes;

namespace Aggregator.Host.Cluster.State;

/// <summary>
/// The cluster's shared state in PostgreSQL, beside the journal: one checkpoint row per shard (with a fencing epoch)
/// and one membership row per pod. Everything a pod needs to take over a shard or to show the cluster lives here, so
/// pods never talk to each other to agree on anything.
/// </summary>
public sealed partial class ClusterStateStore : IAsyncDisposable
{
    private readonly NpgsqlDataSource dataSource;
    private readonly string checkpoints;
    private readonly string members;

    public ClusterStateStore(string connectionString, string schema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        if (!SchemaName().IsMatch(schema)) throw new ArgumentException($"cluster state: schema name '{schema}' is not accepted; use lower-case letters, digits or '_'.", nameof(schema));
        Schema = schema;
        checkpoints = $"\"{schema}\".cluster_checkpoints";
        members = $"\"{schema}\".cluster_members";
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "aggregator-cluster";
        dataSource = NpgsqlDataSource.Create(builder);
    }

    public string Schema { get; }

    /// <summary>Creates the tables if they are missing (every pod runs this at start; it is idempotent and concurrent-safe).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Serialize concurrent first starts: CREATE ... IF NOT EXISTS alone can still race on the catalog.
        await Execute(connection, "SELECT pg_advisory_xact_lock(hashtext('aggregator-cluster-schema'))", cancellationToken).ConfigureAwait(false);
        await Execute(connection, $"""
            CREATE SCHEMA IF NOT EXISTS "{Schema}";
            CREATE TABLE IF NOT EXISTS {checkpoints} (
                shard      integer     NOT NULL PRIMARY KEY,
                epoch      bigint      NOT NULL,
                owner      text        NOT NULL,
                taken_at   timestamptz,
                checkpoint bytea,
                covered    text[]      NOT NULL DEFAULT ARRAY[]::text[]
            );
            CREATE TABLE IF NOT EXISTS {members} (
                node         text        NOT NULL PRIMARY KEY,
                ordinal      integer     NOT NULL,
                address      text        NOT NULL,
                shards       integer[]   NOT NULL,
                started_at   timestamptz NOT NULL,
                last_seen    timestamptz NOT NULL,
                cpu_percent  double precision NOT NULL,
                memory_bytes bigint      NOT NULL,
                utilization  double precision NOT NULL,
                in_flight    bigint      NOT NULL
            );
            """, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Takes over <paramref name="shard"/> for <paramref name="owner"/>: bumps the epoch (fencing out any previous
    /// owner's later saves) and returns the last checkpoint to restore before consuming.
    /// </summary>
    public async Task<ShardLease> AcquireAsync(int shard, string owner, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {checkpoints} AS c (shard, epoch, owner) VALUES ($1, 1, $2)
            ON CONFLICT (shard) DO UPDATE SET epoch = c.epoch + 1, owner = EXCLUDED.owner
            RETURNING epoch, checkpoint, taken_at, covered
            """);
        command.Parameters.Add(new() { Value = shard, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = owner, NpgsqlDbType = NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var checkpoint = reader.IsDBNull(1) ? null : (byte[])reader[1];
        DateTimeOffset? takenAt = reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2);
        return new ShardLease(shard, reader.GetInt64(0), checkpoint, takenAt, reader.GetFieldValue<string[]>(3));
    }

    /// <summary>
    /// Saves a shard's checkpoint if <paramref name="epoch"/> is still the shard's: false means another pod has taken
    /// the shard since, and the caller must stop acting for it (its acks would be for deliveries it no longer owns).
    /// </summary>
    /// <remarks><paramref name="covered"/>: the ids of the messages applied since the last acknowledged checkpoint; if
    /// this pod dies between saving and acking, the next holder skips their redelivery instead of applying them twice.</remarks>
    public async Task<bool> SaveCheckpointAsync(int shard, long epoch, byte[] checkpoint, IReadOnlyCollection<string> covered, DateTimeOffset takenAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(covered);
        await using var command = dataSource.CreateCommand($"UPDATE {checkpoints} SET checkpoint = $3, taken_at = $4, covered = $5 WHERE shard = $1 AND epoch = $2");
        command.Parameters.Add(new() { Value = shard, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = epoch, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = checkpoint, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new() { Value = takenAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = covered.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Writes (or refreshes) this pod's membership row.</summary>
    public async Task HeartbeatAsync(MemberHeartbeat beat, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO {members} (node, ordinal, address, shards, started_at, last_seen, cpu_percent, memory_bytes, utilization, in_flight)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (node) DO UPDATE SET ordinal = EXCLUDED.ordinal, address = EXCLUDED.address, shards = EXCLUDED.shards,
                started_at = EXCLUDED.started_at, last_seen = EXCLUDED.last_seen, cpu_percent = EXCLUDED.cpu_percent,
                memory_bytes = EXCLUDED.memory_bytes, utilization = EXCLUDED.utilization, in_flight = EXCLUDED.in_flight
            """);
        command.Parameters.Add(new() { Value = beat.Node, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = beat.Ordinal, NpgsqlDbType = NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = beat.Address, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = beat.Shards.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        command.Parameters.Add(new() { Value = beat.StartedAt.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = beat.LastSeen.ToUniversalTime(), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = beat.CpuPercent, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = beat.MemoryBytes, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = beat.Utilization, NpgsqlDbType = NpgsqlDbType.Double });
        command.Parameters.Add(new() { Value = beat.InFlightEntries, NpgsqlDbType = NpgsqlDbType.Bigint });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every pod that ever wrote a heartbeat, by ordinal; reachability is the caller's judgement of LastSeen.</summary>
    public async Task<IReadOnlyList<MemberHeartbeat>> MembersAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT node, ordinal, address, shards, started_at, last_seen, cpu_percent, memory_bytes, utilization, in_flight FROM {members} ORDER BY ordinal, node");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<MemberHeartbeat>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new MemberHeartbeat(
                reader.GetString(0), reader.GetInt32(1), reader.GetString(2), reader.GetFieldValue<int[]>(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.GetDouble(6), reader.GetInt64(7), reader.GetDouble(8), reader.GetInt64(9)));
        }
        return result;
    }

    /// <summary>Removes a pod's row (a pod leaving for good, e.g. after a scale-in).</summary>
    public async Task ForgetMemberAsync(string node, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"DELETE FROM {members} WHERE node = $1");
        command.Parameters.Add(new() { Value = node, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex SchemaName();
}
