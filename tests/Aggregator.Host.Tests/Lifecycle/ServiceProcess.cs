using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Aggregator.Host.Tests.Lifecycle;

/// <summary>
/// The service as a separate OS process (the Aggregator.Host.dll next to the tests, run by <c>dotnet</c>) on a free
/// loopback port with its own data directory, so tests can send it real signals and watch it exit.
/// </summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringWriter output = new();

    private ServiceProcess(Process process, Uri address, string dataDirectory)
    {
        this.process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public Uri Address { get; }
    public string DataDirectory { get; }
    public int Id => process.Id;
    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<ServiceProcess> StartAsync(string dataDirectory, params string[] settings)
    {
        var port = FreePort();
        var host = Path.Combine(AppContext.BaseDirectory, "Aggregator.Host.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        // "{url}" in a setting stands for the address this process will listen on (chosen here).
        var url = $"http://127.0.0.1:{port}";
        foreach (var arg in new[] { host, "--urls", url, $"--Aggregator:DataDirectory={dataDirectory}" }.Concat(settings.Select(s => s.Replace("{url}", url, StringComparison.Ordinal))))
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"), dataDirectory);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await service.WaitUntilReadyAsync();
        return service;
    }

    /// <summary>Sends a POSIX signal (SIGTERM = 15, SIGINT = 2) the way Kubernetes or a terminal would.</summary>
    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public const int SIGTERM = 15;

    /// <summary>The exit code, or a timeout naming what the process printed.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The service did not exit within {within.TotalSeconds:0} s. Output:\n{Output}");
        }
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }

    /// <summary>Whether anything answers HTTP at the address now.</summary>
    public async Task<bool> AnswersAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.GetAsync("/healthz");
            return true;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The service exited with {process.ExitCode} while starting. Output:\n{Output}");
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The service was not ready within 60 s. Output:\n{Output}");
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

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
