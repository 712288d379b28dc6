using System.Diagnostics;

namespace Aggregator.Tests.Shared;

/// <summary>
/// Stops and starts the PostgreSQL server ./scripts/test.sh runs, to cause a real outage rather than a simulated one.
/// It needs the server's data directory and pg_ctl (AGGREGATOR_TEST_POSTGRES_PGDATA, AGGREGATOR_TEST_POSTGRES_PGCTL)
/// and, when the tests run as root, the OS user pg_ctl must run as (AGGREGATOR_TEST_POSTGRES_PGUSER: PostgreSQL
/// refuses root, so scripts/lib/postgres.sh runs it as <c>postgres</c>; empty = ourselves).
/// </summary>
internal static class PostgresServerControl
{
    public const string DataVariable = "AGGREGATOR_TEST_POSTGRES_PGDATA";
    public const string PgCtlVariable = "AGGREGATOR_TEST_POSTGRES_PGCTL";
    public const string UserVariable = "AGGREGATOR_TEST_POSTGRES_PGUSER";

    /// <summary>Why the server cannot be controlled now, or null when it can.</summary>
    public static string? SkipReason()
    {
        var missing = new[] { "AGGREGATOR_TEST_POSTGRES", DataVariable, PgCtlVariable }
            .Where(v => string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(v))).ToList();
        return missing.Count == 0
            ? null
            : $"{string.Join(", ", missing)} not set: this test stops and restarts the PostgreSQL server, run it through ./scripts/test.sh";
    }

    /// <summary>A fast shutdown: sessions are ended at once, as in a crash of the database host's service.</summary>
    public static Task StopAsync() => PgCtlAsync("-m", "fast", "-w", "-t", "30", "stop");

    /// <summary>
    /// Starts the server on its old port (postgresql.conf), returning once it accepts connections. Its log goes to a
    /// file in the data directory (the server user can always write there), never to our pipes.
    /// </summary>
    public static Task StartAsync() => PgCtlAsync("-l", Path.Combine(Data, "aggregator-test-restart.log"), "-w", "-t", "30", "start");

    /// <summary>Whether the server's postmaster is up (pg_ctl status exits 0).</summary>
    public static async Task<bool> IsRunningAsync() => await RunAsync(["status"], throwOnFailure: false) == 0;

    private static string Data => Environment.GetEnvironmentVariable(DataVariable)!;

    private static async Task PgCtlAsync(params string[] arguments) => await RunAsync(arguments, throwOnFailure: true);

    private static async Task<int> RunAsync(string[] arguments, bool throwOnFailure)
    {
        var pgCtl = Environment.GetEnvironmentVariable(PgCtlVariable)!;
        var user = Environment.GetEnvironmentVariable(UserVariable);
        var start = new ProcessStartInfo
        {
            FileName = string.IsNullOrEmpty(user) ? pgCtl : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (!string.IsNullOrEmpty(user))
        {
            foreach (var argument in new[] { "-u", user, "--", pgCtl }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in new[] { "-D", Data }.Concat(arguments)) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pg_ctl {string.Join(' ', arguments)} did not finish within 40 s");
        }
        if (throwOnFailure && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
        }
        return process.ExitCode;
    }
}
