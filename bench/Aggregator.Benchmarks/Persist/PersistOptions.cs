using Aggregator.Benchmarks.CommandLine;

namespace Aggregator.Benchmarks.Persist;

/// <summary>Which stores the persist command measures.</summary>
[Flags]
internal enum PersistStores
{
    Sqlite = 1,
    Postgres = 2,
    Both = Sqlite | Postgres,
}

/// <summary>
/// The persist command's options. PostgreSQL is measured only with a connection string in
/// <c>AGGREGATOR_TEST_POSTGRES</c>: the benchmark never starts a server (bench/README.md shows how to start a private
/// one around the run), so by default it measures SQLite, plus PostgreSQL when the variable is set.
/// </summary>
internal sealed record PersistOptions
{
    public const string PostgresVariable = "AGGREGATOR_TEST_POSTGRES";

    public PersistStores Stores { get; init; } = PersistStores.Sqlite;

    public string? PostgresConnectionString { get; init; }

    /// <summary>Entries per measured round of the sink (pre-built before the round's clock starts).</summary>
    public int EntriesPerRound { get; init; } = 200_000;

    public int Rounds { get; init; } = 5;

    /// <summary>How long one round of the single-row INSERT baseline runs (it is too slow to run the sink's round size).</summary>
    public TimeSpan BaselineRound { get; init; } = TimeSpan.FromSeconds(1);

    public int BaselineRounds { get; init; } = 3;

    public int Producers { get; init; } = 2;

    /// <summary>Run the targeted cost measurements (serialization, fold, store append alone, actors over a null store) too.</summary>
    public bool Attribution { get; init; }

    public bool Quick { get; init; }

    public const string Usage =
        "persist [--store sqlite|postgres|both] [--quick] [--entries N] [--rounds N] [--attribution]\n" +
        "             W1-shaped closed entries journaled per second through SinkRegion (2 producer threads, median of rounds)\n" +
        "             beside single-row INSERTs (auto-commit) into the same database type; PostgreSQL needs " + PostgresVariable + "\n" +
        "             (default: sqlite, plus postgres when " + PostgresVariable + " is set)";

    public static PersistOptions Parse(IReadOnlyList<string> args)
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        var options = new PersistOptions
        {
            PostgresConnectionString = string.IsNullOrWhiteSpace(connection) ? null : connection,
            Stores = string.IsNullOrWhiteSpace(connection) ? PersistStores.Sqlite : PersistStores.Both,
        };
        int? entries = null, rounds = null;
        var reader = new OptionReader(args);
        while (reader.MoveNext())
        {
            switch (reader.Name)
            {
                case "--store":
                    options = options with
                    {
                        Stores = reader.Value() switch
                        {
                            "sqlite" => PersistStores.Sqlite,
                            "postgres" => PersistStores.Postgres,
                            "both" => PersistStores.Both,
                            var other => throw new ArgumentException($"--store: '{other}' is not sqlite, postgres or both"),
                        },
                    };
                    break;
                case "--quick": options = options with { Quick = true }; break;
                case "--entries": entries = reader.Integer(1000); break;
                case "--rounds": rounds = reader.Integer(1); break;
                case "--attribution": options = options with { Attribution = true }; break;
                default: throw reader.Unknown();
            }
        }
        if (options.Stores.HasFlag(PersistStores.Postgres) && options.PostgresConnectionString is null)
        {
            throw new ArgumentException(
                $"persist: --store {(options.Stores == PersistStores.Both ? "both" : "postgres")} needs {PostgresVariable} (an Npgsql connection string); " +
                "the benchmark does not start servers: see bench/README.md for starting a private one with scripts/lib/postgres.sh");
        }
        return options with
        {
            EntriesPerRound = entries ?? (options.Quick ? 100_000 : options.EntriesPerRound),
            Rounds = rounds ?? (options.Quick ? 3 : options.Rounds),
            BaselineRound = options.Quick ? TimeSpan.FromSeconds(0.5) : options.BaselineRound,
            BaselineRounds = options.Quick ? 2 : options.BaselineRounds,
        };
    }
}
