using Serilog;
using Serilog.Events;
using Serilog.Formatting.Json;
using Serilog.Settings.Configuration;

namespace Aggregator.Host.Logging;

/// <summary>
/// Wires Serilog by hand (no Serilog.AspNetCore on the feed). The "Serilog" section drives levels (per namespace
/// under <c>MinimumLevel:Override</c>) and any sinks it names; two plain switches cover the usual cases without
/// Serilog syntax: <c>Aggregator:Logging:Format</c> = <c>text</c> (default) or <c>json</c> for the console, and
/// <c>Aggregator:Logging:File</c> = a path for a daily rolling file (kept <c>Aggregator:Logging:RetainedFiles</c> days).
/// </summary>
public static class SerilogSetup
{
    private const string SectionName = "Serilog";
    private const string FormatKey = "Aggregator:Logging:Format";
    private const string FileKey = "Aggregator:Logging:File";
    private const string RetainedFilesKey = "Aggregator:Logging:RetainedFiles";
    private const string TextTemplate = "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static WebApplicationBuilder AddSerilogLogging(this WebApplicationBuilder builder)
    {
        var logger = CreateLogger(builder.Configuration);
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        builder.Services.AddSingleton<Serilog.ILogger>(logger); // the actor kernel logs through Serilog directly
        return builder;
    }

    /// <summary>The logger the configuration describes; a bad switch stops the service at start with the key named.</summary>
    public static Serilog.Core.Logger CreateLogger(IConfiguration configuration)
    {
        var format = configuration[FormatKey] ?? "text";
        if (format is not ("text" or "json")) throw new InvalidOperationException($"{FormatKey} must be 'text' or 'json' (was '{format}').");
        var retained = 7;
        if (configuration[RetainedFilesKey] is { } retainedText && (!int.TryParse(retainedText, out retained) || retained <= 0))
        {
            throw new InvalidOperationException($"{RetainedFilesKey} must be a positive whole number (was '{retainedText}').");
        }

        // Name the sink assemblies instead of scanning the dependency context: behaves the same in tests and when trimmed.
        var readerOptions = new ConfigurationReaderOptions(typeof(ConsoleLoggerConfigurationExtensions).Assembly, typeof(FileLoggerConfigurationExtensions).Assembly)
        {
            SectionName = SectionName,
        };
        var loggerConfiguration = new LoggerConfiguration().ReadFrom.Configuration(configuration, readerOptions);
        // The console is ours unless the Serilog section names its own sinks.
        if (!configuration.GetSection($"{SectionName}:WriteTo").Exists())
        {
            if (format == "json") loggerConfiguration.WriteTo.Console(new JsonFormatter(renderMessage: true));
            else loggerConfiguration.WriteTo.Console(outputTemplate: TextTemplate);
        }
        if (configuration[FileKey] is { Length: > 0 } path)
        {
            loggerConfiguration.WriteTo.File(new JsonFormatter(renderMessage: true), path, rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: retained, fileSizeLimitBytes: 256L * 1024 * 1024, rollOnFileSizeLimit: true, shared: false,
                restrictedToMinimumLevel: LogEventLevel.Verbose);
        }
        return loggerConfiguration.CreateLogger();
    }
}
