namespace Aggregator.Host.Configuration;

/// <summary>Binds and validates <see cref="AggregatorOptions"/> so a bad setting stops the service at start, not later.</summary>
public static class AggregatorOptionsRegistration
{
    public static IServiceCollection AddAggregatorOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AggregatorOptions>()
            .Bind(configuration.GetSection(AggregatorOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.DataDirectory), "Aggregator:DataDirectory must not be empty.")
            .Validate(o => o.ShutdownTimeoutSeconds > 0, "Aggregator:ShutdownTimeoutSeconds must be greater than zero.")
            .Validate(o => o.Store is "sqlite" or "postgres", "Aggregator:Store must be 'sqlite' or 'postgres'.")
            .Validate(o => o.Store != "postgres" || !string.IsNullOrWhiteSpace(o.PostgresConnectionString),
                "Aggregator:PostgresConnectionString is required when Aggregator:Store is 'postgres'.")

            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AggregatorOptions>, PipelineOptionsValidator>();
        return services;
    }

    /// <summary>Sink and output settings, checked by the same code that will use them, so the message names the key and the reason.</summary>
    private sealed class PipelineOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<AggregatorOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AggregatorOptions options)
        {
            var errors = OutputErrors(options).ToList();
            errors.AddRange(options.Http.Errors($"{AggregatorOptions.SectionName}:Http"));
            if (ConnectionStringError(options) is { } connection) errors.Add(connection);
            if (options.Mode is not ("single" or "cluster")) errors.Add($"{AggregatorOptions.SectionName}:Mode must be 'single' or 'cluster' (was '{options.Mode}').");
            else if (options.Mode == "cluster") errors.AddRange(options.Cluster.Errors($"{AggregatorOptions.SectionName}:Cluster", options.Store, Environment.MachineName));
            if (SinkSettingsError(options) is { } sinks) errors.Insert(0, $"{AggregatorOptions.SectionName}:Sinks: {sinks}");
            return errors.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(errors);
        }
    }

    /// <summary>A PostgreSQL connection string Npgsql cannot parse, named by key (the password is never echoed).</summary>
    internal static string? ConnectionStringError(AggregatorOptions options)
    {
        if (options.Store != "postgres" || string.IsNullOrWhiteSpace(options.PostgresConnectionString)) return null;
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(options.PostgresConnectionString);
            return string.IsNullOrWhiteSpace(builder.Host)
                ? $"{AggregatorOptions.SectionName}:PostgresConnectionString has no Host."
                : null;
        }
        catch (ArgumentException exception)
        {
            return $"{AggregatorOptions.SectionName}:PostgresConnectionString is not a valid Npgsql connection string: {exception.Message}";
        }
    }

    /// <summary>The first thing wrong with the sink settings, as SinkSettings explains it (it names the setting).</summary>
    internal static string? SinkSettingsError(AggregatorOptions options)
    {
        try
        {
            Aggregator.Actors.Sinks.SinkRegion.Validate(options.Sinks.ToSettings());
            return null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }

    internal static IReadOnlyList<string> OutputErrors(AggregatorOptions options) =>
        options.Outputs.SelectMany((output, i) => output.Validate($"{AggregatorOptions.SectionName}:Outputs:{i}")).ToList();
}
