using System.Globalization;
using Pipeline.Adapters.Storage;
using Pipeline.App.Alerts;
using Pipeline.App.Processing;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Writing;
using Pipeline.Core.Synthetic;

namespace Pipeline.App.Demo;

/// <summary>One file of the demo and what the processor made of it.</summary>
public sealed record DemoFile(string Key, ProcessingResult Result);

/// <summary>What the demo did.</summary>
public sealed record DemoSummary(string RegionCode, Period Start, Period End, SyntheticScenario Scenario, IReadOnlyList<DemoFile> Files)
{
    public int Accepted => Files.Count(f => f.Result.Outcome is ProcessingOutcome.Accepted or ProcessingOutcome.Superseded);

    public int Rejected => Files.Count(f => f.Result.Outcome == ProcessingOutcome.Rejected);
}

/// <summary>
/// Runs a realistic region through the real pipeline: generated submissions are dropped where trusts drop them
/// (<c>submissions/{org}/{period}/</c>, a mix of CSV and JSON) and each goes through the same
/// <see cref="SubmissionProcessor"/> as <c>ingest</c> and the Azure host. One trust's first upload for the last month has
/// a typical mistake (a numerator larger than its denominator), is rejected with a receipt, and is corrected by a resubmission.
/// </summary>
public sealed class DemoRun(
    ReferenceData reference, IObjectStore objects, SubmissionProcessor processor, LateSubmissionCheck dailyCheck, DemoClock clock)
{
    /// <summary>The contacts file the demo writes, at the data directory's root (the default <c>Pipeline:Alerts:ContactsFile</c>).</summary>
    public const string ContactsKey = "contacts.csv";

    public async Task<DemoSummary> RunAsync(DemoOptions options, IProgress<DemoFile>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var end = options.End ?? Period.FromDateTimeOffset(clock.GetUtcNow()).AddMonths(-1);
        var scenario = DemoScenario.Create(reference, options, end);
        var submissions = new SubmissionGenerator(reference).Generate(scenario).ToList();
        await WriteContactsAsync(scenario, options.RegionCode, cancellationToken).ConfigureAwait(false);
        var files = new List<DemoFile>(submissions.Count + 1);
        var mistaken = submissions.Where(s => s.ReportingPeriod == end).Select(s => s.OrganisationCode).Order(StringComparer.Ordinal).FirstOrDefault();

        // Files arrive in the order trusts send them, so the clock only moves forward (alert events and report timestamps in
        // time order); each month's daily check runs the morning after its deadline, as the timer does in Azure.
        var arrivals = submissions
            .Select((submission, i) => (
                Submission: submission, Sent: SentOn(submission, options.Seed), Format: i % 3 == 0 ? "json" : "csv"))
            .SelectMany(a => a.Submission.OrganisationCode == mistaken && a.Submission.ReportingPeriod == end
                ? new[]
                {
                    new Arrival(WithTypingMistake(a.Submission), a.Sent.AddDays(-3), "csv", "first-upload"),
                    new Arrival(a.Submission, a.Sent, a.Format),
                }
                : [new Arrival(a.Submission, a.Sent, a.Format)])
            .OrderBy(a => a.At)
            .ToList();
        var nextCheck = scenario.Start;
        foreach (var arrival in arrivals)
        {
            for (; nextCheck <= end && DailyCheckAfterDeadline(nextCheck) <= arrival.At; nextCheck = nextCheck.AddMonths(1))
            {
                clock.Set(DailyCheckAfterDeadline(nextCheck));
                await dailyCheck.CheckAsync(nextCheck, cancellationToken).ConfigureAwait(false);
            }

            clock.Set(arrival.At);
            files.Add(await DropAndProcessAsync(arrival.Drop, arrival.Format, arrival.Name, progress, cancellationToken)
                .ConfigureAwait(false));
        }

        return new DemoSummary(options.RegionCode, scenario.Start, end, scenario, files);
    }

    private sealed record Arrival(Submission Drop, DateTimeOffset At, string Format, string Name = "equity-submission");

    /// <summary>06:00 UTC the day after a month's submission deadline, when the daily check first sees it has passed.</summary>
    private DateTimeOffset DailyCheckAfterDeadline(Period period) =>
        new(dailyCheck.DeadlineFor(period).UtcDateTime.Date.AddDays(1).AddHours(6), TimeSpan.Zero);

    private async Task<DemoFile> DropAndProcessAsync(
        Submission submission, string format, string name, IProgress<DemoFile>? progress, CancellationToken cancellationToken)
    {
        var key = string.Create(
            CultureInfo.InvariantCulture,
            $"{SubmissionProcessor.SubmissionsArea}/{submission.OrganisationCode}/{submission.ReportingPeriod}/{name}-{submission.OrganisationCode}-{submission.ReportingPeriod}.{format}");
        using (var buffer = new MemoryStream())
        {
            if (format == "json")
            {
                await SubmissionWriter.WriteJsonAsync(submission, buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await SubmissionWriter.WriteCsvAsync(submission, buffer, cancellationToken).ConfigureAwait(false);
            }

            buffer.Position = 0;
            await objects.WriteAsync(key, buffer, cancellationToken).ConfigureAwait(false);
        }

        var file = new DemoFile(key, await processor.ProcessAsync(key, cancellationToken).ConfigureAwait(false));
        progress?.Report(file);
        return file;
    }

    /// <summary>
    /// Demo contacts (<c>contacts.csv</c>, the format of docs/alerts.md): a lead for every LMNS of the region during the run
    /// and the regional team, at example.nhs.uk addresses, so the alert emails have somewhere to go.
    /// </summary>
    private async Task WriteContactsAsync(SyntheticScenario scenario, string regionCode, CancellationToken cancellationToken)
    {
        var end = scenario.Start.AddMonths(scenario.Months - 1);
        var lines = new List<string> { "scope,code,name,email" };
        foreach (var lmns in reference.LmnsList.Where(l => l.RegionCode == regionCode && (l.IsActiveIn(scenario.Start) || l.IsActiveIn(end)))
                     .Select(l => l.Code).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"lmns,{lmns},{lmns} LMNS lead (demo),lmns.{lmns.ToLowerInvariant()}.lead@example.nhs.uk"));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"region,{regionCode},Regional maternity team (demo),region.{regionCode.ToLowerInvariant()}@example.nhs.uk"));
        using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        await objects.WriteAsync(ContactsKey, content, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// When a trust sends its month: most by the 15th of the next month, a few (a stable pseudo-random tenth) a week late.
    /// </summary>
    private static DateTimeOffset SentOn(Submission submission, ulong seed)
    {
        // FNV-1a over the trust and month: stable across runs and machines, unlike string.GetHashCode.
        var hash = 2166136261u ^ (uint)seed;
        foreach (var c in $"{submission.OrganisationCode}|{submission.ReportingPeriod}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        var due = submission.ReportingPeriod.AddMonths(1).FirstDay.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);
        var day = hash % 10 == 0 ? 20 + (int)(hash % 5) : 4 + (int)(hash % 9);
        return new DateTimeOffset(due.AddDays(day - 1).AddMinutes(hash % 480), TimeSpan.Zero);
    }

    /// <summary>The mistake analysts make most: a count typed in the wrong column, so a numerator exceeds its denominator.</summary>
    private static Submission WithTypingMistake(Submission submission)
    {
        var measures = submission.Measures.ToList();
        var index = measures.FindIndex(m => m.Breakdown != Breakdown.Total && m.Denominator > 0);
        if (index >= 0)
        {
            measures[index] = measures[index] with { Numerator = measures[index].Denominator + 7 };
        }

        return submission with { Measures = measures };
    }
}
