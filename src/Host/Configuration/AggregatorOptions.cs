namespace Aggregator.Host.Configuration;

/// <summary>The service's own settings (section <c>Aggregator</c>), separate from ASP.NET Core's and Serilog's.</summary>
public sealed class AggregatorOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Aggregator";

    /// <summary>Directory for local state (the SQLite journal, snapshots); relative paths resolve against the content root.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>How long a stop may take to drain work before the host gives up on the remaining hosted services.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>Where closed entries are journaled: <c>sqlite</c> (a file in the data directory, the default) or <c>postgres</c>.</summary>
    public string Store { get; set; } = "sqlite";

    /// <summary>
    /// SQLite's durability: <c>Normal</c> (default; survives a process crash, may lose the last commits on power loss)
    /// or <c>Full</c> (every commit fsynced, milliseconds per batch).
    /// </summary>
    public Aggregator.Actors.Persistence.Sqlite.SqliteSynchronous SqliteSynchronous { get; set; } = Aggregator.Actors.Persistence.Sqlite.SqliteSynchronous.Normal;

    /// <summary>The Npgsql connection string when <see cref="Store"/> is <c>postgres</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The PostgreSQL schema the tables live in.</summary>
    public string PostgresSchema { get; set; } = "aggregator";

    /// <summary>Merged into every closed entry (service, instance, version…); <c>service</c> and <c>instance</c> are filled in when absent.</summary>
    public Dictionary<string, string> GlobalDimensions { get; set; } = [];

    public SinkOptions Sinks { get; set; } = new();

    /// <summary><c>single</c> (default: everything in this process) or <c>cluster</c> (shards over RabbitMQ, see <see cref="Cluster"/>).</summary>
    public string Mode { get; set; } = "single";

    public ClusterOptions Cluster { get; set; } = new();

    /// <summary>Limits of the HTTP API.</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>Optional extra outputs of journaled entries (JSON Lines, CloudWatch EMF).</summary>
    public List<Aggregator.Actors.Sinks.Outputs.OutputOptions> Outputs { get; set; } = [];
}

/// <summary>The sink shards' knobs (section <c>Aggregator:Sinks</c>), in configuration-friendly units.</summary>
public sealed class SinkOptions
{
    /// <summary>Sink shards; 0 means one per processor.</summary>
    public int Shards { get; set; }

    public int BatchSize { get; set; } = 1024;
    public int BatchIntervalMilliseconds { get; set; } = 20;
    public int AggregateFlushSeconds { get; set; } = 5;
    public int WindowSeconds { get; set; } = 60;
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary><c>Drop</c> (count and drop when full) or <c>Reject</c> (refuse new entries upstream while full).</summary>
    public Aggregator.Actors.Sinks.SinkOverflowPolicy OverflowPolicy { get; set; } = Aggregator.Actors.Sinks.SinkOverflowPolicy.Drop;

    public Aggregator.Actors.Sinks.SinkSettings ToSettings() => new()
    {
        Shards = Shards > 0 ? Shards : Environment.ProcessorCount,
        BatchSize = BatchSize,
        BatchInterval = TimeSpan.FromMilliseconds(BatchIntervalMilliseconds),
        AggregateFlushInterval = TimeSpan.FromSeconds(AggregateFlushSeconds),
        Window = TimeSpan.FromSeconds(WindowSeconds),
        BufferCapacity = BufferCapacity,
        OverflowPolicy = OverflowPolicy,
    };
}
