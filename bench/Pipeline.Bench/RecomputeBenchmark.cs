using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Detection;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Synthetic;

namespace Pipeline.Bench;

/// <summary>
/// Detection's recomputation on SQLite over a national history: 36 months of every active trust's synthetic submission (all
/// 18 indicators, ~540 rows each) bulk-loaded straight into <c>submission</c>/<c>measure</c> for setup, then
/// (1) a full <c>pipeline recompute</c> of those 36 months, and (2) one new national month loaded trust by trust through
/// <see cref="IPipelineStore.LoadAcceptedAsync"/> with the real after-load step: the time measured is that step's work for
/// every trust (counts refresh, the trust's, LMNS's and region's windows, the rows written), i.e. the incremental path
/// exactly as the processor runs it, without validation and the lake.
/// </summary>
internal sealed class RecomputeBenchmark : IBenchmark
{
    private const int HistoryMonths = 36;
    private static readonly Period First = new(2023, 10);

    public string Name => "recompute";

    public string Description => "Detection: one new national month's after-load recompute on 36 months of history (≤ 10 s), and a full recompute, on SQLite";

    public async Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var scenario = new SyntheticScenario { Seed = 7, Start = First, Months = HistoryMonths + 1 };
        var newMonth = First.AddMonths(HistoryMonths);
        var clock = Stopwatch.StartNew();
        var (services, history) = await StartWithHistoryAsync(workDirectory, scenario with { Months = HistoryMonths }, cancellationToken);
        var reference = services.Reference;
        var setup = clock.Elapsed.TotalSeconds;
        var windows = new DetectionWindows(reference, new DivergenceEngine(reference), time);
        // Every notice routable (one default contact), so the alert phase composes its emails as a real run does.
        await File.WriteAllTextAsync(Path.Combine(workDirectory, "contacts.csv"), "scope,code,name,email\ndefault,*,Inbox,inbox@nhs.example\n", cancellationToken);
        clock.Restart();
        var detectionSeconds = 0.0;
        var full = await new DetectionRecompute(services.Store, windows, time, services.Alerts).RunAsync(
            null, new InlineProgress<RecomputeProgress>(p => detectionSeconds = p.Done == p.Total ? clock.Elapsed.TotalSeconds : detectionSeconds), cancellationToken);
        var fullSeconds = clock.Elapsed.TotalSeconds;
        var peakAfterFull = PeakMemory.ReadMegabytes();

        var step = new TimedStep(new DetectionAfterLoad(windows));
        var trusts = 0;
        clock.Restart();
        foreach (var submission in new SubmissionGenerator(reference).Generate(scenario with { Start = newMonth, Months = 1 }))
        {
            var id = $"bench-{submission.OrganisationCode}-{submission.ReportingPeriod}";
            await services.Store.BeginAttemptAsync(
                new NewSubmission(id, submission.OrganisationCode, submission.ReportingPeriod.ToString(), "equity.json", $"submissions/{submission.OrganisationCode}/{submission.ReportingPeriod}/equity.json", id, 1, time.GetUtcNow()),
                cancellationToken);
            var load = await services.Store.LoadAcceptedAsync(new AcceptedLoad(id, submission, new ValidationSummary(0, 0, null, [])), [step], cancellationToken);
            if (load.Status != SubmissionStatus.Accepted)
            {
                throw new InvalidOperationException($"{id} was {load.Status}");
            }

            trusts++;
        }

        var loads = clock.Elapsed.TotalSeconds;
        var afterLoad = step.Elapsed.TotalSeconds;

        // The batched equivalent: the new month's windows of every organisation at once (`pipeline recompute --from`).
        clock.Restart();
        await new DetectionRecompute(services.Store, windows, time).RunAsync(newMonth, null, cancellationToken);
        var batched = clock.Elapsed.TotalSeconds;
        return
        [
            new("history submissions (setup)", history, "files"),
            new("history bulk load (setup)", setup, "s"),
            new("full recompute: 36 months, detection + alerts", fullSeconds, "s"),
            new("  organisations (trust+LMNS+region)", full.Organisations, "orgs"),
            new("  group comparisons", full.Comparisons, "rows"),
            new("  deprivation gradients", full.Gradients, "rows"),
            new("  of which the alert phase", fullSeconds - detectionSeconds, "s"),
            new("  alert recipient groups (transactions)", full.AlertGroups, "groups"),
            new("  alert events written", full.AlertEvents, "rows"),
            new("  alert emails queued", full.AlertNotifications, "emails"),
            new("  peak memory after full recompute", peakAfterFull, "MB"),
            new("new month: trusts loaded", trusts, "files"),
            new("new month: after-load recompute", afterLoad, "s", "≤ 10 s", afterLoad <= 10),
            new("  per trust (mean)", afterLoad / trusts * 1000, "ms"),
            new("  CPU time of the after-load step", step.Cpu.TotalSeconds, "s"),
            new("new month: loads incl. measures", loads, "s"),
            new("new month batched (recompute --from)", batched, "s"),
        ];
    }

    /// <summary>
    /// A migrated SQLite store in <paramref name="workDirectory"/> holding the scenario's submissions as accepted, streamed a month
    /// at a time (the generator yields period by period), one transaction per month; returns the services and how many were loaded.
    /// </summary>
    internal static async Task<(PipelineServices Services, int Submissions)> StartWithHistoryAsync(
        string workDirectory, SyntheticScenario scenario, CancellationToken cancellationToken)
    {
        var services = PipelineServices.Create(new PipelineOptions { DataDirectory = workDirectory }, TimeProvider.System);
        await services.Store.MigrateAsync(cancellationToken);
        var loaded = 0;
        var month = new List<Submission>();
        foreach (var submission in new SubmissionGenerator(services.Reference).Generate(scenario).Append(null))
        {
            if (month.Count > 0 && (submission is null || submission.ReportingPeriod != month[0].ReportingPeriod))
            {
                var batch = month.ToList();
                await services.Store.RunInTransactionAsync((tx, ct) => BulkLoadAsync(tx, batch, ct), cancellationToken);
                loaded += batch.Count;
                month.Clear();
            }

            if (submission is not null)
            {
                month.Add(submission);
            }
        }

        return (services, loaded);
    }

    /// <summary>Inserts a month of accepted submissions and their measures in the caller's transaction (prepared commands).</summary>
    private static async Task BulkLoadAsync(StoreSession tx, List<Submission> submissions, CancellationToken cancellationToken)
    {
        await using var submission = Prepare(tx,
            "insert into submission (id, organisation_code, reporting_period, file_name, source_path, sha256, size_bytes, received_at, status, attempts) " +
            "values (@p0, @p1, @p2, 'equity.json', @p3, @p0, 1, @p4, 'accepted', 1)", 5);
        await using var measure = Prepare(tx,
            "insert into measure (submission_id, organisation_code, reporting_period, indicator_code, breakdown, group_code, numerator, denominator) " +
            "values (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)", 8);
        foreach (var s in submissions)
        {
            var id = $"bench-{s.OrganisationCode}-{s.ReportingPeriod}";
            var period = s.ReportingPeriod.ToString();
            Bind(submission, id, s.OrganisationCode, period, $"submissions/{s.OrganisationCode}/{period}/equity.json",
                string.Create(CultureInfo.InvariantCulture, $"{s.ReportingPeriod.LastDay.AddDays(10):yyyy-MM-dd}T09:00:00.0000000Z"));
            await submission.ExecuteNonQueryAsync(cancellationToken);
            foreach (var m in s.Measures)
            {
                Bind(measure, id, s.OrganisationCode, period, m.IndicatorCode, m.Breakdown.ToWire(), m.GroupCode, m.Numerator, m.Denominator);
                await measure.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    private static DbCommand Prepare(StoreSession tx, string sql, int parameters)
    {
        var command = tx.Connection.CreateCommand();
        command.Transaction = tx.Transaction;
        command.CommandText = sql;
        for (var i = 0; i < parameters; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(CultureInfo.InvariantCulture);
            p.Value = string.Empty;
            command.Parameters.Add(p);
        }

        return command;
    }

    private static void Bind(DbCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    /// <summary>The after-load step, timed.</summary>
    private sealed class TimedStep(IAfterLoad inner) : IAfterLoad
    {
        public TimeSpan Elapsed { get; private set; }

        /// <summary>Processor time of the whole process during the step (the machine may be shared, so wall time can exceed it).</summary>
        public TimeSpan Cpu { get; private set; }

        public async Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var start = Stopwatch.GetTimestamp();
            await inner.AfterLoadAsync(context, cancellationToken);
            Elapsed += Stopwatch.GetElapsedTime(start);
            Cpu += Process.GetCurrentProcess().TotalProcessorTime - cpu;
        }
    }

    /// <summary>Reports on the caller's thread.</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
