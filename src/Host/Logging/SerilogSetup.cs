using Serilog;
using Serilog.Settings.Configuration;

namespace Aggregator.Host.Logging;

/// <summary>Wires Serilog by hand (no Serilog.AspNetCore on the feed) so the "Serilog" section of configuration drives all logging.</summary>
public static class SerilogSetup
{
    private const string SectionName = "Serilog";

    // Used only when configuration names no sink (e.g. appsettings.json not found), so the service is never silent.
    private const string FallbackTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder)
    {
        // Name the sink assemblies instead of scanning the dependency context: behaves the same in tests and when trimmed.
        var readerOptions = new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly)
        {
            SectionName = SectionName,
        };
        var loggerConfiguration = new LoggerConfiguration().ReadFrom.Configuration(builder.Configuration, readerOptions);
        if (!builder.Configuration.GetSection($"{SectionName}:WriteTo").Exists())
        {
            loggerConfiguration.WriteTo.Console(outputTemplate: FallbackTemplate);
        }

        var logger = loggerConfiguration.CreateLogger();
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton<Serilog.ILogger>(logger); // the actor kernel logs through Serilog directly
        return builder;
    }
}
