using System.Globalization;
using Parquet;
using Parquet.Serialization;
using Pipeline.Adapters.Storage;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Lake;

/// <summary>
/// The Parquet lake of measures, written through <see cref="IObjectStore"/> so the same code serves a folder and Azure Blob.
/// <para>
/// <c>lake/measures/period=YYYY-MM/organisation=ODS/{submission_id}.parquet</c> holds exactly the current accepted submission
/// of each organisation-month, so <c>read_parquet('lake/measures/**/*.parquet', hive_partitioning=true)</c> sees only current
/// rows. A superseded submission's file moves to the same path under <c>lake/superseded/measures/…</c>, outside that glob,
/// where it stays retrievable.
/// </para>
/// </summary>
public sealed class MeasureLake(IObjectStore store, ReferenceData reference)
{
    public const string CurrentRoot = "lake/measures";
    public const string SupersededRoot = "lake/superseded/measures";

    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Snappy };

    public static string PartitionPrefix(string root, string organisationCode, Period period) =>
        $"{root}/period={period}/organisation={organisationCode}/";

    /// <summary>The organisation and month of a partition prefix made by <see cref="PartitionPrefix"/>, or null.</summary>
    public static (string OrganisationCode, Period Period)? TryParsePartition(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var parts = prefix.TrimEnd('/').Split('/');
        return parts.Length >= 2 && parts[^2].StartsWith("period=", StringComparison.Ordinal) &&
               parts[^1].StartsWith("organisation=", StringComparison.Ordinal) &&
               Period.TryParse(parts[^2]["period=".Length..], out var period)
            ? (parts[^1]["organisation=".Length..], period)
            : null;
    }

    public static string KeyFor(string root, string organisationCode, Period period, string submissionId) =>
        PartitionPrefix(root, organisationCode, period) + submissionId + ".parquet";

    /// <summary>Writes the submission's file (atomically) to the current partition, or straight to the superseded area.</summary>
    public async Task<string> WriteAsync(string submissionId, Submission submission, bool current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var key = KeyFor(current ? CurrentRoot : SupersededRoot, submission.OrganisationCode, submission.ReportingPeriod, submissionId);
        using var buffer = new MemoryStream();
        await ParquetSerializer.SerializeAsync(Rows(submissionId, submission), buffer, Options, cancellationToken: cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        await store.WriteAsync(key, buffer, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>
    /// Makes the current partition hold only <paramref name="currentSubmissionId"/>: every other file moves to the superseded
    /// area (copied first, then deleted, so a crash in between loses nothing and a re-run finishes the move), and a stale
    /// superseded copy of the current one is removed.
    /// </summary>
    public async Task<IReadOnlyList<string>> RetireOthersAsync(
        string organisationCode, Period period, string? currentSubmissionId, CancellationToken cancellationToken)
    {
        var prefix = PartitionPrefix(CurrentRoot, organisationCode, period);
        var keep = currentSubmissionId is null ? null : prefix + currentSubmissionId + ".parquet";
        var moved = new List<string>();
        var others = new List<string>();
        await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!string.Equals(info.Key, keep, StringComparison.Ordinal))
            {
                others.Add(info.Key);
            }
        }

        foreach (var key in others)
        {
            var target = string.Concat(SupersededRoot, key.AsSpan(CurrentRoot.Length));
            var source = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                await store.TryCreateAsync(target, source, cancellationToken).ConfigureAwait(false);
            }

            await store.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
            moved.Add(target);
        }

        if (currentSubmissionId is not null)
        {
            var retired = KeyFor(SupersededRoot, organisationCode, period, currentSubmissionId);
            if (await store.GetInfoAsync(keep!, cancellationToken).ConfigureAwait(false) is null
                && await store.GetInfoAsync(retired, cancellationToken).ConfigureAwait(false) is not null)
            {
                // Retired by a concurrent tidy that read SQL before this submission's load committed: bring it back (copy first).
                var source = await store.OpenReadAsync(retired, cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    await store.TryCreateAsync(keep!, source, cancellationToken).ConfigureAwait(false);
                }
            }

            if (await store.GetInfoAsync(keep!, cancellationToken).ConfigureAwait(false) is not null)
            {
                // A copy retired by an earlier, interrupted or concurrent run while this submission was not yet current in SQL is stale now.
                await store.DeleteAsync(retired, cancellationToken).ConfigureAwait(false);
            }
        }

        return moved;
    }

    private IEnumerable<LakeRow> Rows(string submissionId, Submission submission)
    {
        var period = submission.ReportingPeriod;
        var lmns = reference.LmnsOf(submission.OrganisationCode, period);
        var region = reference.RegionOf(submission.OrganisationCode, period);
        return submission.Measures.Select(m => new LakeRow
        {
            SubmissionId = submissionId,
            SchemaVersion = submission.SchemaVersion,
            OrganisationCode = submission.OrganisationCode,
            ReportingPeriod = period.FirstDay,
            IndicatorCode = m.IndicatorCode,
            Breakdown = m.Breakdown.ToWire(),
            GroupCode = m.GroupCode,
            Numerator = m.Numerator,
            Denominator = m.Denominator,
            BroadGroup = m.Breakdown == Breakdown.EthnicCategory ? reference.FindEthnicCategory(m.GroupCode)?.BroadGroup : null,
            ImdQuintile = QuintileOf(m),
            LmnsCode = lmns,
            RegionCode = region,
        });
    }

    private int? QuintileOf(Measure measure) => measure.Breakdown switch
    {
        Breakdown.ImdDecile when int.TryParse(measure.GroupCode, NumberStyles.None, CultureInfo.InvariantCulture, out var decile) =>
            reference.FindDecile(decile)?.Quintile,
        Breakdown.ImdQuintile when int.TryParse(measure.GroupCode, NumberStyles.None, CultureInfo.InvariantCulture, out var quintile) => quintile,
        _ => null,
    };
}
