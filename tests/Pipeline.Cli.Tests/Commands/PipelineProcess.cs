using System.Diagnostics;
using System.Globalization;
using System.Text;
using Pipeline.Tests.Shared;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>
/// Runs the built <c>pipeline</c> CLI as a separate process in a working folder, as a user would. Every wait has a time
/// limit: a process that outlives it is killed with its children and the test fails, so a hung CLI never hangs the suite.
/// </summary>
internal sealed class PipelineProcess(string workingDirectory)
{
    /// <summary>Longest a command may run in a test; the slowest (a 50-process ingest on a busy machine) takes well under it.</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    /// <summary>Longest a long-running command (watch) may take to stop after a signal.</summary>
    public static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(30);

    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");

    public Dictionary<string, string> Environment { get; } = [];

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await WaitOrKillAsync(process, RunLimit, $"pipeline {string.Join(' ', args)}");
        return (process.ExitCode, await output, await error);
    }

    /// <summary>
    /// Starts the CLI with SIGINT at its default action. A shell running the suite in the background (a CI runner, `cmd &`)
    /// starts its children with SIGINT ignored, which they inherit; resetting it (coreutils `env --default-signal`) makes
    /// a test's SIGINT behave as Ctrl+C in a terminal does.
    /// </summary>
    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("env")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        return Process.Start(start)!;
    }

    /// <summary>Sends <paramref name="signal"/> (INT as Ctrl+C does, TERM as a service manager does) and waits for the exit.</summary>
    public static async Task StopAsync(Process process, string signal)
    {
        using (var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        await WaitOrKillAsync(process, StopLimit, $"the process after SIG{signal}");
    }

    /// <summary>Kills the process tree when disposed if it is still running, so a failed assertion leaves no process behind.</summary>
    public static IDisposable KillOnDispose(Process process) => new Killer(process);

    /// <summary>Waits for the exit; past <paramref name="limit"/> kills the process tree and fails the test.</summary>
    public static Task WaitOrKillAsync(Process process, TimeSpan limit, string what) => TimedProcess.WaitOrKillAsync(process, limit, what);

    private sealed class Killer(Process process) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already reaped: nothing left to kill.
            }
        }
    }
}
