using System.Diagnostics;

namespace Aggregator.Tests.Shared;

/// <summary>
/// Stops and starts the RabbitMQ application of the private node ./scripts/test.sh runs (rabbitmqctl stop_app /
/// start_app through AGGREGATOR_TEST_RABBITMQ_CTL): every connection drops, durable queues and persistent messages
/// survive, as in a broker restart.
/// </summary>
internal static class RabbitMqControl
{
    public const string CtlVariable = "AGGREGATOR_TEST_RABBITMQ_CTL";

    public static Task StopAsync() => RunAsync("stop_app");

    public static Task StartAsync() => RunAsync("start_app");

    private static async Task RunAsync(string command)
    {
        var ctl = Environment.GetEnvironmentVariable(CtlVariable) ?? throw new InvalidOperationException($"{CtlVariable} is not set; run ./scripts/test.sh");
        using var process = Process.Start(new ProcessStartInfo(ctl, command) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"rabbitmqctl {command} exited with {process.ExitCode}: {await errors}");
    }
}
