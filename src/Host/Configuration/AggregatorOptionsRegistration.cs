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
            .ValidateOnStart();
        return services;
    }
}
