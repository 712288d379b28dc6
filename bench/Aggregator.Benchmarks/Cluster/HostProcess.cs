using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aggregator.Benchmarks.Cluster;

/// <summary>
/// One Aggregator.Host process (the Aggregator.Host.dll copied next to this benchmark by its project reference, run by
/// <c>dotnet</c>) on a free loopback port with its own data directory; ready when GET /readyz answers 200. Every
/// process started is also in <see cref="Live"/>, so the run can kill what is left when it fails or is stopped.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private static readonly List<Process> Live = [];
    private readonly Process process;
    private readonly StringWriter output = new();

    private HostProcess(Process process, string name, Uri address)
    {
        (this.process, Name, Address) = (process, name, address);
    }

    public string Name { get; }
    public Uri Address { get; }

    /// <summary>CPU time of the process so far (user + system, all its threads).</summary>
    public TimeSpan Cpu
    {
        get
        {
            try { process.Refresh(); return process.TotalProcessorTime; }
            catch (InvalidOperationException) { return TimeSpan.Zero; }
        }
    }

    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<HostProcess> StartAsync(string name, string dataDirectory, IEnumerable<string> settings)
    {
        var host = Path.Combine(AppContext.BaseDirectory, "Aggregator.Host.dll");
        if (!File.Exists(host)) throw new InvalidOperationException($"{host} is missing: build bench/Aggregator.Benchmarks (it references src/Host)");
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        string[] fixedArgs = [host, "--urls", $"http://127.0.0.1:{port}", $"--Aggregator:DataDirectory={dataDirectory}", "--Serilog:MinimumLevel:Default=Warning"];
        foreach (var arg in fixedArgs.Concat(settings)) info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        lock (Live) Live.Add(process);
        var started = new HostProcess(process, name, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => started.Append(e.Data);
        process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.WaitUntilReadyAsync().ConfigureAwait(false);
        }
        catch
        {
            await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return started;
    }

    /// <summary>Kills every process still running; for failures and Ctrl-C / SIGTERM of the benchmark itself.</summary>
    public static void KillAll()
    {
        lock (Live)
        {
            foreach (var p in Live)
            {
                try { if (!p.HasExited) p.Kill(entireProcessTree: true); }
                catch (InvalidOperationException) { }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (InvalidOperationException)
        {
        }
        lock (Live) Live.Remove(process);
        process.Dispose();
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 90;
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting. Output:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new TimeoutException($"{Name} was not ready within 90 s. Output:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.WriteLine(line);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
