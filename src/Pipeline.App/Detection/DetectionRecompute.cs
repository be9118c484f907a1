using System.Threading.Channels;
using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Detection;
using Pipeline.App.Alerts;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Detection;

/// <summary>Where a full recompute is: the organisations done out of all, and the last one finished.</summary>
public sealed record RecomputeProgress(int Done, int Total, Level Level, string OrganisationCode, int Rows);

/// <summary>
/// Where the alert phase of a recompute is: recipient groups done out of all, the last one finished (its route, e.g.
/// <c>lmns QOP</c>, and how many organisations it evaluated), and the <c>alert_event</c>s and notifications it wrote.
/// </summary>
public sealed record AlertRecomputeProgress(int Done, int Total, string Route, int Organisations, int Events, int Notifications);

/// <summary>
/// What a full recompute did. <see cref="AlertEvents"/> and <see cref="AlertNotifications"/> are what the alert phase wrote
/// (<c>alert_event</c> rows, outbox rows: one per recipient group at most); both stay 0 on unchanged data.
/// </summary>
public sealed record RecomputeSummary(Period? From, int Months, int Organisations, int Comparisons, int Gradients, int Findings)
{
    public int AlertGroups { get; init; }

    public int AlertEvents { get; init; }

    public int AlertNotifications { get; init; }
}

/// <summary>
/// <c>pipeline recompute</c>: rebuilds the counts, then every window from a month on, one organisation per transaction, with
/// the after-load step's evaluation (same measures, same rows). With <paramref name="alerts"/> it then replays the alert state
/// machine one recipient group per transaction, so a recompute of unchanged data writes no event and no email.
/// </summary>
public sealed class DetectionRecompute(IPipelineStore store, DetectionWindows windows, TimeProvider time, AlertEvaluator? alerts = null)
{
    /// <summary>How many organisations may be evaluated ahead of the one whose rows are being written.</summary>
    public const int Ahead = 1;

    /// <param name="from">The first window end to recompute; null for every month.</param>
    public async Task<RecomputeSummary> RunAsync(
        Period? from, IProgress<RecomputeProgress>? progress, CancellationToken cancellationToken, IProgress<AlertRecomputeProgress>? alertProgress = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var start = from ?? new Period(1, 1);
        IReadOnlyList<Period> months = [];
        IReadOnlyList<(Level Level, string OrganisationCode)> organisations = [];
        Period? latest = null;
        await store.RunInTransactionAsync(
            async (tx, ct) =>
            {
                var counts = tx.Counts(windows.Reference);
                // Each month's trust counts are aggregated on a read-only connection while this transaction writes the previous one.
                months = await counts.RebuildAsync(
                    start,
                    (month, c) => store.QueryOnlyAsync((read, rc) => read.Counts(windows.Reference).ReadMonthCountsAsync(month, rc), c),
                    ahead: 2,
                    ct).ConfigureAwait(false);
                organisations = await counts.OrganisationsAsync(start, ct).ConfigureAwait(false);
                latest = await counts.LatestPeriodAsync(ct).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);

        var (comparisons, gradients, findings) = (0, 0, 0);
        if (latest is { } last)
        {
            await WriteOverlappedAsync(
                organisations,
                last,
                start,
                (i, written) =>
                {
                    comparisons += written.Comparisons.Count;
                    gradients += written.Gradients.Count;
                    findings += written.DataQuality.Count;
                    var (level, code) = organisations[i];
                    var rows = written.Comparisons.Count + written.Gradients.Count + written.DataQuality.Count;
                    progress?.Report(new RecomputeProgress(i + 1, organisations.Count, level, code, rows));
                },
                cancellationToken).ConfigureAwait(false);
        }

        var summary = new RecomputeSummary(from, months.Count, organisations.Count, comparisons, gradients, findings);
        return alerts is null ? summary : await RecomputeAlertsAsync(alerts, summary, start, months, organisations, alertProgress, cancellationToken).ConfigureAwait(false);
    }

    // The organisations' windows, one organisation per write transaction in order. Evaluating is most of the work and needs no
    // write turn, so a producer reads the next organisations' counts on a read-only connection (counts no longer change once
    // the rebuild committed, unless a load commits meanwhile) and evaluates them while the writer deletes and inserts the
    // current one's rows: the two overlap instead of taking turns. At most Ahead evaluated organisations wait for the writer
    // (bounded memory). The writer reads the counts again inside its transaction; if a load changed them in between (loads may
    // run alongside a recompute), it evaluates them anew, so every organisation's rows come from the counts they commit with.
    private async Task WriteOverlappedAsync(
        IReadOnlyList<(Level Level, string OrganisationCode)> organisations,
        Period last,
        Period start,
        Action<int, DetectionResult> written,
        CancellationToken cancellationToken)
    {
        var i = 0;
        await ReadAheadAsync(
            organisations,
            Ahead,
            async (organisation, ct) =>
            {
                var (level, code) = organisation;
                var counts = await store.QueryOnlyAsync(
                    (tx, c) => tx.Counts(windows.Reference).ReadOrganisationAsync(level, code, last, c), ct).ConfigureAwait(false);
                return new Evaluated(counts, windows.EvaluateFrom(counts.ToCountStore(), level, code, start));
            },
            async item =>
            {
                var result = item.Result;
                await store.RunInTransactionAsync(
                    async (tx, ct) =>
                    {
                        var counts = await tx.Counts(windows.Reference).ReadOrganisationAsync(item.Counts.Level, item.Counts.Code, last, ct)
                            .ConfigureAwait(false);
                        if (!counts.SameRows(item.Counts))
                        {
                            result = windows.EvaluateFrom(counts.ToCountStore(), counts.Level, counts.Code, start);
                        }

                        var writer = tx.DetectionWriter(time.GetUtcNow());
                        await writer.DeleteFromAsync(counts.Level, counts.Code, start, ct).ConfigureAwait(false);
                        await writer.InsertAsync(result, ct).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);
                written(i++, result);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads each item on a background task, at most <paramref name="ahead"/> ahead of <paramref name="write"/>, which takes
    /// them in order on the caller's flow: the reading (read-only connections, computing) overlaps the writer's transactions
    /// instead of taking turns with them. A read's failure reaches the caller through <paramref name="write"/>'s loop; on any
    /// failure or cancellation the reader is stopped and awaited, and nothing already read is written after a cancel.
    /// </summary>
    private static async Task ReadAheadAsync<TItem, TRead>(
        IReadOnlyList<TItem> items,
        int ahead,
        Func<TItem, CancellationToken, Task<TRead>> read,
        Func<TRead, Task> write,
        CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<TRead>(new BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var item in items)
                    {
                        await queue.Writer.WriteAsync(await read(item, stop.Token).ConfigureAwait(false), stop.Token).ConfigureAwait(false);
                    }

                    queue.Writer.Complete();
                }
                catch (Exception e)
                {
                    queue.Writer.Complete(e);
                    throw;
                }
            },
            stop.Token);
        try
        {
            await foreach (var value in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await write(value).ConfigureAwait(false);
            }
        }
        finally
        {
            // The reader's own failure already reached the loop through the queue, so it is not thrown a second time here.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(reader).ConfigureAwait(false);
        }
    }

    private sealed record Evaluated(OrganisationCounts Counts, DetectionResult Result);

    private async Task<RecomputeSummary> RecomputeAlertsAsync(
        AlertEvaluator evaluator,
        RecomputeSummary summary,
        Period start,
        IReadOnlyList<Period> months,
        IReadOnlyList<(Level Level, string OrganisationCode)> organisations,
        IProgress<AlertRecomputeProgress>? progress,
        CancellationToken cancellationToken)
    {
        // Trusts whose only news is a rejected month (no accepted data, so no counts) still hold their data_quality alert.
        IReadOnlyList<RejectedMonth> rejectedMonths = [];
        await store.RunInTransactionAsync(
            async (tx, ct) => rejectedMonths = await tx.RejectedMonthsAsync(start, ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

        var allMonths = months.Concat(rejectedMonths.Select(r => r.Period)).ToList();
        if (allMonths.Count == 0)
        {
            return summary;
        }

        // The alert phase starts at the first recomputed month (every month's evaluation replaces its observation; docs/alerts.md §2).
        var first = allMonths.Min();
        var last = allMonths.Max();
        var groups = RouteGroups(windows.Reference, organisations.Concat(rejectedMonths.Select(r => (Level.Organisation, r.Trust))), last);
        var (events, notifications) = (0, 0);
        // Detection's rows and the rejected months do not change in this phase, so the next group's evaluations are read on a
        // read-only connection while the current group's decisions are written (#18); the states, digests and contacts the
        // decisions rest on are read in the write transaction, after the groups before it committed.
        var i = 0;
        await ReadAheadAsync(
            groups,
            1,
            (group, ct) => store.QueryOnlyAsync((tx, c) => evaluator.ReadInputsAsync(tx, group.Members, first, c), ct),
            async inputs =>
            {
                var (route, members) = groups[i];
                var (groupEvents, groupNotifications) = (0, 0);
                if (inputs is not null)
                {
                    await store.RunInTransactionAsync(
                        async (tx, ct) =>
                        {
                            var outcome = await evaluator.EvaluateAsync(tx, inputs, ct).ConfigureAwait(false);
                            groupEvents = outcome.Decision.Events.Count;
                            groupNotifications = outcome.Notifications.Count;
                        },
                        cancellationToken).ConfigureAwait(false);
                }

                events += groupEvents;
                notifications += groupNotifications;
                progress?.Report(new AlertRecomputeProgress(++i, groups.Count, route, members.Count, groupEvents, groupNotifications));
            },
            cancellationToken).ConfigureAwait(false);

        return summary with { AlertGroups = groups.Count, AlertEvents = events, AlertNotifications = notifications };
    }

    /// <summary>
    /// The organisations grouped by whom their alerts go to: a region alone, an LMNS with its trusts (the LMNS a trust belongs
    /// to in the latest month up to <paramref name="last"/> that it has one), trusts without any LMNS together.
    /// </summary>
    internal static IReadOnlyList<(string Route, IReadOnlyList<(Level Level, string OrganisationCode)> Members)> RouteGroups(
        ReferenceData reference, IEnumerable<(Level Level, string OrganisationCode)> organisations, Period last)
    {
        string RouteOf((Level Level, string Code) o) => o.Level switch
        {
            Level.Region => $"region {o.Code}",
            Level.Lmns => $"lmns {o.Code}",
            _ => $"lmns {LatestLmns(reference, o.Code, last) ?? "unknown"}",
        };

        return [.. organisations.Distinct()
            .GroupBy(o => RouteOf(o), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, (IReadOnlyList<(Level, string)>)[.. g.OrderBy(o => o.Level).ThenBy(o => o.OrganisationCode, StringComparer.Ordinal)]))];
    }

    private static string? LatestLmns(ReferenceData reference, string trust, Period last)
    {
        if (reference.FindTrust(trust) is null)
        {
            return null;
        }

        for (var (period, checkedMonths) = (last, 0); checkedMonths < 600; (period, checkedMonths) = (period.AddMonths(-1), checkedMonths + 1))
        {
            if (reference.LmnsOf(trust, period) is { } lmns)
            {
                return lmns;
            }
        }

        return null;
    }
}
