using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Globalization;
using Pipeline.App.Detection;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline recompute [--from YYYY-MM]</c>: rebuilds detection's counts from the current measures and recomputes every
/// comparison, gradient and data-quality finding (of windows ending in that month or later), one organisation at a time with
/// progress, then re-evaluates the alerts over those months, one recipient group at a time (one email per group). Gives the same rows the after-load step keeps up to date; for after a schema upgrade, a reference-data change
/// (memberships, window lengths) or to check the incremental path.
/// </summary>
internal static class RecomputeCommand
{
    public static Command Create(TimeProvider time)
    {
        var from = new Option<string?>("--from")
        {
            Description = "First window end to recompute, yyyy-MM (default: every month). Earlier months' counts are left as they are.",
            HelpName = "YYYY-MM",
        };
        var dataDirectory = CliEnvironment.DataDirectoryOption();
        var command = new Command("recompute", "Recompute every group comparison, deprivation gradient and data-quality finding from the current measures, then re-evaluate the alerts.")
        {
            from,
            dataDirectory,
        };
        command.SetAction((parseResult, cancellationToken) => CliEnvironment.GuardAsync(async () =>
        {
            Period? start = null;
            if (parseResult.GetValue(from) is { } text)
            {
                if (!Period.TryParse(text, out var month))
                {
                    await Console.Error.WriteLineAsync($"pipeline recompute: --from '{text}' is not a month; use yyyy-MM, for example 2025-04.").ConfigureAwait(false);
                    return ExitCodes.UsageOrEnvironment;
                }

                start = month;
            }

            var services = await CliEnvironment.StartAsync(parseResult.GetValue(dataDirectory), cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            await Console.Error.WriteLineAsync($"Rebuilding counts from the current measures{(start is { } s ? $" from {s}" : string.Empty)}…").ConfigureAwait(false);
            var progress = new SynchronousProgress<RecomputeProgress>(p => Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[{p.Done}/{p.Total}] {p.Level.ToWire()} {p.OrganisationCode}: {p.Rows} rows ({clock.Elapsed.TotalSeconds:F1} s)")));
            var alertProgress = new SynchronousProgress<AlertRecomputeProgress>(p => Console.Error.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"[alerts {p.Done}/{p.Total}] {p.Route} ({p.Organisations} organisation(s)): {p.Events} event(s), {p.Notifications} email(s) queued ({clock.Elapsed.TotalSeconds:F1} s)")));
            var summary = await services.Provider.GetRequiredService<DetectionRecompute>()
                .RunAsync(start, progress, cancellationToken, alertProgress).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{services.Store.Describe()}: recomputed {summary.Organisations} organisations over {summary.Months} month(s){(start is { } f ? $" from {f}" : string.Empty)}: " +
                $"{summary.Comparisons} group comparisons, {summary.Gradients} deprivation gradients, {summary.Findings} data-quality findings; " +
                $"alerts re-evaluated for {summary.AlertGroups} recipient group(s): {summary.AlertEvents} alert event(s) written, {summary.AlertNotifications} email(s) queued; " +
                $"in {clock.Elapsed.TotalSeconds:F1} s."))
                .ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, which would reorder the lines).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
