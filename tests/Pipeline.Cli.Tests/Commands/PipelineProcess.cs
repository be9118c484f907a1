using System.Diagnostics;
using System.Text;

namespace Pipeline.Cli.Tests.Commands;

/// <summary>Runs the built <c>pipeline</c> CLI as a separate process in a working folder, as a user would.</summary>
internal sealed class PipelineProcess(string workingDirectory)
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");

    public Dictionary<string, string> Environment { get; } = [];

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
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
}
