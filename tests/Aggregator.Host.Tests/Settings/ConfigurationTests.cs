using Aggregator.Host.Configuration;
using Aggregator.Host.Logging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Tests.Settings;

/// <summary>Settings from every source, and the start-up errors a bad one gets: each names its key and why.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Aggregator:Store", "mongodb", "Aggregator:Store must be 'sqlite' or 'postgres'")]
    [InlineData("Aggregator:Http:MaxRequestBytes", "0", "Aggregator:Http:MaxRequestBytes must be greater than zero")]
    [InlineData("Aggregator:Http:RetryAfterSeconds", "-1", "Aggregator:Http:RetryAfterSeconds must be greater than zero")]
    [InlineData("Aggregator:Http:MaxNameLength", "0", "Aggregator:Http:MaxNameLength must be greater than zero")]
    [InlineData("Aggregator:Sinks:BufferCapacity", "-5", "BufferCapacity")]
    [InlineData("Aggregator:ShutdownTimeoutSeconds", "0", "Aggregator:ShutdownTimeoutSeconds must be greater than zero")]
    public void A_bad_setting_stops_the_service_at_start_naming_the_key(string key, string value, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new() { [key] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("Host=db;Prot=5432", "Aggregator:PostgresConnectionString is not a valid Npgsql connection string")]
    [InlineData("Username=postgres", "Aggregator:PostgresConnectionString has no Host")]
    public void A_bad_postgres_connection_string_stops_the_service_at_start(string connectionString, string expected)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Options(new()
        {
            ["Aggregator:Store"] = "postgres",
            ["Aggregator:PostgresConnectionString"] = connectionString,
        }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    // Process-wide: the variable chosen (MaxDimensions 29 instead of 30) changes nothing other tests rely on.
    public void Environment_variables_with_the_aggregator_prefix_and_double_underscores_set_options()
    {
        Environment.SetEnvironmentVariable("AGGREGATOR__HTTP__MAXDIMENSIONS", "29");
        try
        {
            Assert.Equal(29, Options(new()).Http.MaxDimensions);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AGGREGATOR__HTTP__MAXDIMENSIONS", null);
        }
    }

    [Fact]
    public void The_command_line_overrides_configuration()
    {
        var host = TestAggregatorHost.Create(args: ["--Aggregator:Http:RetryAfterSeconds=7"]);

        Assert.Equal(7, host.App.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value.Http.RetryAfterSeconds);
    }

    [Fact]
    public void An_unknown_log_format_stops_the_service_at_start()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SerilogSetup.CreateLogger(Config(new() { ["Aggregator:Logging:Format"] = "xml" })));

        Assert.Contains("Aggregator:Logging:Format must be 'text' or 'json' (was 'xml')", error.Message);
    }

    [Fact]
    public void The_log_file_gets_one_json_object_per_event()
    {
        var directory = TestAggregatorHost.NewTempRoot();
        try
        {
            var path = Path.Combine(directory, "aggregator-.log");
            using (var logger = SerilogSetup.CreateLogger(Config(new() { ["Aggregator:Logging:File"] = path, ["Serilog:MinimumLevel:Default"] = "Information" })))
            {
                logger.Information("Entry {EntryId} closed", "e-1");
            }

            var line = File.ReadAllLines(Assert.Single(Directory.GetFiles(directory))).Single(l => l.Contains("e-1"));
            using var json = System.Text.Json.JsonDocument.Parse(line);
            Assert.Equal("e-1", json.RootElement.GetProperty("Properties").GetProperty("EntryId").GetString());
            Assert.Equal("Entry \"e-1\" closed", json.RootElement.GetProperty("RenderedMessage").GetString());
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private static AggregatorOptions Options(Dictionary<string, string?> settings) =>
        TestAggregatorHost.Create(settings).App.Services.GetRequiredService<IOptions<AggregatorOptions>>().Value;

    private static IConfiguration Config(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}

/// <summary>The SQLite durability setting reaches the store the pipeline uses.</summary>
public sealed class SqliteSynchronousSettingTests
{
    [Theory]
    [InlineData(null, Aggregator.Actors.Persistence.Sqlite.SqliteSynchronous.Normal)]
    [InlineData("Full", Aggregator.Actors.Persistence.Sqlite.SqliteSynchronous.Full)]
    public async Task The_configured_level_is_the_stores(string? configured, Aggregator.Actors.Persistence.Sqlite.SqliteSynchronous expected)
    {
        await using var host = TestAggregatorHost.Create(new Dictionary<string, string?> { ["Aggregator:SqliteSynchronous"] = configured });

        var store = Assert.IsType<Aggregator.Actors.Persistence.Sqlite.SqliteSinkStore>(host.App.Services.GetRequiredService<Aggregator.Actors.Persistence.ISinkStore>());

        Assert.Equal(expected, store.Synchronous);
    }
}
