using System.Diagnostics;

namespace Pipeline.Tests.Shared;

/// <summary>
/// Runs a process a test starts with a time limit: its output is read whole, and past the limit the process tree is killed
/// and the test fails, so a hung child never hangs the suite.
/// </summary>
public static class TimedProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(ProcessStartInfo start, TimeSpan limit, string what)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await WaitOrKillAsync(process, limit, what);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Waits for the exit; past <paramref name="limit"/> kills the process tree and fails the test.</summary>
    public static async Task WaitOrKillAsync(Process process, TimeSpan limit, string what)
    {
        ArgumentNullException.ThrowIfNull(process);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{what} did not exit within {limit.TotalSeconds:0} s; it was killed.");
        }
    }
}
