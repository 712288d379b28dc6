using Aggregator.Actors.Inspection;
using Microsoft.Extensions.Options;

namespace Aggregator.Host.Inspection;

/// <summary>Registers inspection: its validated settings, the sampler that keeps the recent window, and what reads the node.</summary>
public static class InspectionRegistration
{
    public static IServiceCollection AddInspection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InspectionOptions>()
            .Bind(configuration.GetSection(InspectionOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<InspectionOptions>, InspectionOptionsValidator>();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<InspectionOptions>>().Value.ToSettings());
        services.AddSingleton<SampleHistory>();
        services.AddSingleton<InspectionSource>();
        services.AddHostedService<InspectionSampler>();
        return services;
    }

    /// <summary>The first thing wrong with the settings, as <see cref="InspectionSettings.Validate"/> explains it.</summary>
    internal static string? SettingsError(InspectionOptions options)
    {
        try
        {
            options.ToSettings().Validate();
            return null;
        }
        catch (ArgumentException exception)
        {
            return exception.Message;
        }
    }

    /// <summary>Puts the section name in front of the reason, so a bad setting stops the service with a message naming the key.</summary>
    private sealed class InspectionOptionsValidator : IValidateOptions<InspectionOptions>
    {
        public ValidateOptionsResult Validate(string? name, InspectionOptions options) =>
            SettingsError(options) is { } error ? ValidateOptionsResult.Fail($"{InspectionOptions.SectionName}: {error}") : ValidateOptionsResult.Success;
    }
}
