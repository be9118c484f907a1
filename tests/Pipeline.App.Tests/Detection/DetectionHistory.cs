using System.Globalization;
using Pipeline.Adapters.Store;
using Pipeline.App.Processing;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Synthetic;

namespace Pipeline.App.Tests.Detection;

/// <summary>
/// A small synthetic history for detection tests: three trusts of R0A's LMNS (R0A with Black women twice as likely to smoke at
/// booking, one trust recording ethnicity poorly), one trust of another LMNS in the same region and one of another region;
/// 13 months of two indicators, ingested through the real processor.
/// </summary>
internal sealed class DetectionHistory
{
    public const string Planted = "R0A";
    public const string Smoking = "smoking_at_booking";
    public static readonly Period First = new(2025, 8);
    public static readonly Period Last = First.AddMonths(12);

    private DetectionHistory(IReadOnlyList<string> trusts, string poorRecorder, IReadOnlyList<Submission> submissions)
    {
        Trusts = trusts;
        PoorRecorder = poorRecorder;
        Submissions = submissions;
    }

    public static ReferenceData Reference => ReferenceData.Embedded;

    public IReadOnlyList<string> Trusts { get; }

    public string PoorRecorder { get; }

    public IReadOnlyList<Submission> Submissions { get; }

    public static string LmnsOf(string trust) => Reference.LmnsOf(trust, Last)!;

    public static string RegionOf(string trust) => Reference.RegionOf(trust, Last)!;

    public static DetectionHistory Create(ulong seed = 1)
    {
        var lmns = LmnsOf(Planted);
        var region = RegionOf(Planted);
        bool Steady(string t) => Enumerable.Range(0, 13).All(m => Reference.LmnsOf(t, First.AddMonths(m)) == Reference.LmnsOf(t, Last) && Reference.IsTrustActive(t, First.AddMonths(m)));
        var sameLmns = Reference.TrustsInLmns(lmns, Last).Where(t => t != Planted && Steady(t)).Order(StringComparer.Ordinal).Take(2).ToList();
        var sameRegion = Reference.TrustsActiveIn(Last).Select(t => t.Code)
            .First(t => RegionOf(t) == region && LmnsOf(t) != lmns && Steady(t));
        var otherRegion = Reference.TrustsActiveIn(Last).Select(t => t.Code).First(t => RegionOf(t) != region && Steady(t));
        List<string> trusts = [Planted, .. sameLmns, sameRegion, otherRegion];
        var scenario = new SyntheticScenario
        {
            Seed = seed,
            Start = First,
            Months = 13,
            TrustCodes = trusts,
            IndicatorCodes = [Smoking, "stillbirth"],
            Divergences = [new PlantedDivergence(Level.Organisation, Planted, Smoking, ComparisonBreakdown.EthnicGroup, "Black", 2.0, First)],
            PoorEthnicityRecording = [new PoorEthnicityRecording(sameLmns[0], 0.30)],
        };
        return new DetectionHistory(trusts, sameLmns[0], [.. new SubmissionGenerator(Reference).Generate(scenario)]);
    }

    public Submission Of(string trust, Period period) => Submissions.Single(s => s.OrganisationCode == trust && s.ReportingPeriod == period);

    /// <summary>Drops every submission in order except <paramref name="skip"/>; each must be accepted.</summary>
    public async Task IngestAsync(Processing.PipelineHarness harness, Func<Submission, bool>? skip = null)
    {
        foreach (var submission in Submissions.Where(s => skip?.Invoke(s) != true))
        {
            await AcceptAsync(harness, submission);
        }
    }

    public static async Task<ProcessingResult> AcceptAsync(Processing.PipelineHarness harness, Submission submission, string fileName = "equity.json")
    {
        var result = await harness.DropAsync(submission, fileName);
        Assert.True(result.Outcome == ProcessingOutcome.Accepted, $"{submission.OrganisationCode} {submission.ReportingPeriod}: {result.Outcome} {result.Message}");
        return result;
    }

    /// <summary>A group's pooled counts over the window ending at <paramref name="end"/>, straight from the submissions.</summary>
    public static (long Numerator, long Denominator) Pooled(IEnumerable<Submission> submissions, string trust, string indicator, string broadGroup, Period end, int months = 12) =>
        submissions
            .Where(s => s.OrganisationCode == trust && s.ReportingPeriod <= end && s.ReportingPeriod > end.AddMonths(-months))
            .SelectMany(s => s.Measures)
            .Where(m => m.IndicatorCode == indicator && m.Breakdown == Breakdown.EthnicCategory && Reference.FindEthnicCategory(m.GroupCode)!.BroadGroup == broadGroup)
            .Aggregate((0L, 0L), (sum, m) => (sum.Item1 + m.Numerator, sum.Item2 + m.Denominator));
}

/// <summary>The detection tables read back whole, one text line per row, for comparing states of the store.</summary>
internal static class DetectionSnapshot
{
    public static readonly string[] Tables = ["group_comparison", "deprivation_gradient", "data_quality_finding", "detection_count"];

    /// <summary>Every row of every detection table (sorted), optionally without <c>computed_at</c>.</summary>
    public static async Task<Dictionary<string, List<string>>> TakeAsync(IPipelineStore store, bool withComputedAt = true)
    {
        var snapshot = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await store.RunInTransactionAsync(
            async (tx, ct) =>
            {
                foreach (var table in Tables)
                {
                    await using var command = tx.Connection.CreateCommand();
                    command.Transaction = tx.Transaction;
                    command.CommandText = $"select * from {table}";
                    await using var reader = await command.ExecuteReaderAsync(ct);
                    var rows = new List<string>();
                    while (await reader.ReadAsync(ct))
                    {
                        rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount)
                            .Where(i => withComputedAt || reader.GetName(i) != "computed_at")
                            .Select(i => $"{reader.GetName(i)}={Text(reader.GetValue(i))}")));
                    }

                    rows.Sort(StringComparer.Ordinal);
                    snapshot[table] = rows;
                }
            },
            TestContext.Current.CancellationToken);
        return snapshot;
    }

    /// <summary>The rows (of every table) in <paramref name="after"/> that are not in <paramref name="before"/>.</summary>
    public static List<string> Changed(Dictionary<string, List<string>> before, Dictionary<string, List<string>> after) =>
        [.. after.SelectMany(t => t.Value.Except(before[t.Key], StringComparer.Ordinal).Select(r => t.Key + ": " + r))];

    private static string Text(object value) => value switch
    {
        DBNull => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
