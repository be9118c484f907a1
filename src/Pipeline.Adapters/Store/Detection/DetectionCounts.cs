using System.Data.Common;
using System.Globalization;
using Dapper;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Adapters.Store.Detection;

/// <summary>
/// The <c>detection_count</c> table: monthly broad-group counts of the current measures per trust, and their LMNS and region
/// sums by the membership in force each month. Aggregated in SQL from <c>measure</c> (ethnic category → broad group through
/// <c>ethnic_category</c>, IMD decile → quintile through <c>imd_decile</c>), so the one aggregation serves the load and the
/// full rebuild alike. Every method runs inside the caller's transaction.
/// </summary>
public sealed class DetectionCounts(StoreSession store, ReferenceData reference)
{
    private const string Key = "level, organisation_code, period, indicator_code, breakdown";

    private static readonly string[] Ethnic = [.. ComparisonGroups.All(ComparisonBreakdown.EthnicGroup)];
    private static readonly string[] Imd = [.. ComparisonGroups.All(ComparisonBreakdown.ImdQuintile)];

    /// <summary>n1…n6, d1…d6: the groups' numerators and denominators in <see cref="ComparisonGroups.All"/> order (six for both breakdowns).</summary>
    private static readonly string[] CountColumns =
        [.. Enumerable.Range(1, 6).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture)), .. Enumerable.Range(1, 6).Select(i => "d" + i.ToString(CultureInfo.InvariantCulture))];

    private static readonly string InsertColumns = $"insert into detection_count ({Key}, {string.Join(", ", CountColumns)}) ";

    private static readonly string ReadSql =
        $"select period, indicator_code, breakdown, {string.Join(", ", CountColumns)} from detection_count " +
        "where level = @level and organisation_code = @code and period <= @to";

    private const string DeleteTrustMonthSql =
        "delete from detection_count where level = 'organisation' and organisation_code = @trust and period = @period";

    // A submission's measures all carry its organisation and month. Saying so lets SQLite read them through ix_measure_org_period
    // (that trust-month's rows only): given the submission alone, its planner scanned that index over every stored measure for
    // each trust (the cast in the imd_decile join leaves it no better plan), so each refresh read the whole history.
    private static readonly string InsertSubmissionCountsSql =
        InsertTrustCounts("m.submission_id = @id and m.organisation_code = @trust and m.reporting_period = @period");

    // Measures mapped to broad groups, then pivoted into one row per trust-month-indicator-breakdown. Totals are left out (the
    // groups of a validated submission sum to them); IMD U stays U, quintile rows keep their code. The twelve group codes are
    // distinct, so a group's position needs no breakdown test.
    private static string InsertTrustCounts(string filter) =>
        InsertColumns +
        $$"""
        select 'organisation', organisation_code, reporting_period, indicator_code, breakdown, {{string.Join(", ", Pivot())}}
        from (
            select m.organisation_code, m.reporting_period, m.indicator_code,
                   case when m.breakdown = 'ethnic_category' then 'ethnic_group' else 'imd_quintile' end as breakdown,
                   case when m.breakdown = 'ethnic_category' then e.broad_group
                        when m.breakdown = 'imd_decile' and m.group_code <> 'U' then cast(d.quintile as varchar(1))
                        else m.group_code end as group_code,
                   m.numerator, m.denominator
            from measure m
            join submission s on s.id = m.submission_id
            left join ethnic_category e on m.breakdown = 'ethnic_category' and e.code = m.group_code
            left join imd_decile d on m.breakdown = 'imd_decile' and cast(d.decile as varchar(2)) = m.group_code
            where s.status = 'accepted' and m.breakdown <> 'total' and {{filter}}
        ) x
        group by organisation_code, reporting_period, indicator_code, breakdown
        """;

    private static IEnumerable<string> Pivot()
    {
        if (Ethnic.Length != 6 || Imd.Length != 6 || Ethnic.Intersect(Imd, StringComparer.Ordinal).Any())
        {
            throw new InvalidOperationException("detection_count holds six distinct groups per breakdown.");
        }

        string Sum(string column, int g) => $"sum(case when group_code in ('{Ethnic[g]}', '{Imd[g]}') then {column} else 0 end)";
        return Enumerable.Range(0, 6).Select(g => Sum("numerator", g)).Concat(Enumerable.Range(0, 6).Select(g => Sum("denominator", g)));
    }

    /// <summary>
    /// Replaces a trust-month's counts with the current submission's (call after it became current), then the LMNS and region
    /// sums for that month.
    /// </summary>
    public async Task RefreshTrustMonthAsync(string submissionId, string trustCode, Period period, CancellationToken cancellationToken)
    {
        await ReplaceTrustCountsAsync(submissionId, trustCode, period, cancellationToken).ConfigureAwait(false);
        if (reference.LmnsOf(trustCode, period) is { } lmns)
        {
            await RollUpAsync(Level.Lmns, lmns, period, cancellationToken).ConfigureAwait(false);
            if (reference.FindLmns(lmns, period)?.RegionCode is { } region)
            {
                await RollUpAsync(Level.Region, region, period, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// <see cref="RefreshTrustMonthAsync"/> for several trust-months (one current submission each): every trust's counts first,
    /// then each LMNS and region sum the batch touches once, not once per trust.
    /// </summary>
    public async Task RefreshTrustMonthsAsync(
        IReadOnlyCollection<(string SubmissionId, string TrustCode, Period Period)> loads, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(loads);
        var lmnsMonths = new List<(string Lmns, Period Period)>();
        var regionMonths = new List<(string Region, Period Period)>();
        foreach (var (submissionId, trustCode, period) in loads)
        {
            await ReplaceTrustCountsAsync(submissionId, trustCode, period, cancellationToken).ConfigureAwait(false);
            if (reference.LmnsOf(trustCode, period) is { } lmns)
            {
                lmnsMonths.Add((lmns, period));
                if (reference.FindLmns(lmns, period)?.RegionCode is { } region)
                {
                    regionMonths.Add((region, period));
                }
            }
        }

        foreach (var (lmns, period) in lmnsMonths.Distinct())
        {
            await RollUpAsync(Level.Lmns, lmns, period, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (region, period) in regionMonths.Distinct())
        {
            await RollUpAsync(Level.Region, region, period, cancellationToken).ConfigureAwait(false);
        }
    }

    // A trust-month's counts out of its current submission; both statements compiled once per transaction (a batch runs them
    // for every trust of the month).
    private async Task ReplaceTrustCountsAsync(string submissionId, string trustCode, Period period, CancellationToken cancellationToken)
    {
        await store.Statement(DeleteTrustMonthSql, "@trust", "@period").Bind(trustCode, period.ToString())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        await store.Statement(InsertSubmissionCountsSql, "@id", "@trust", "@period").Bind(submissionId, trustCode, period.ToString())
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rebuilds every count from <paramref name="from"/> on out of the current measures; returns the months rebuilt.</summary>
    public async Task<IReadOnlyList<Period>> RebuildAsync(Period from, CancellationToken cancellationToken)
    {
        await ExecuteAsync("delete from detection_count where period >= @from", new { from = from.ToString() }, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(
            InsertTrustCounts("m.reporting_period >= @from"),
            new { from = from.ToString() },
            cancellationToken).ConfigureAwait(false);
        var periods = (await store.Connection.QueryAsync<string>(Command(
            "select distinct period from detection_count where level = 'organisation' and period >= @from order by period",
            new { from = from.ToString() },
            cancellationToken)).ConfigureAwait(false)).Select(Period.Parse).ToList();
        foreach (var period in periods)
        {
            var lmnsCodes = reference.Trusts.Select(t => reference.LmnsOf(t.Code, period)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            foreach (var lmns in lmnsCodes)
            {
                await RollUpAsync(Level.Lmns, lmns, period, cancellationToken).ConfigureAwait(false);
            }

            foreach (var region in lmnsCodes.Select(l => reference.FindLmns(l, period)?.RegionCode).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                await RollUpAsync(Level.Region, region, period, cancellationToken).ConfigureAwait(false);
            }
        }

        return periods;
    }

    /// <summary>Every (level, organisation) with counts for a month from <paramref name="from"/> on.</summary>
    public async Task<IReadOnlyList<(Level Level, string OrganisationCode)>> OrganisationsAsync(Period from, CancellationToken cancellationToken)
    {
        var rows = await store.Connection.QueryAsync<(string Level, string Code)>(Command(
            "select distinct level, organisation_code from detection_count where period >= @from order by level, organisation_code",
            new { from = from.ToString() },
            cancellationToken)).ConfigureAwait(false);
        return [.. rows.Select(r => (LevelOf(r.Level), r.Code))];
    }

    /// <summary>The latest month any current submission is for (null when there is none).</summary>
    public async Task<Period?> LatestPeriodAsync(CancellationToken cancellationToken)
    {
        var latest = await store.Connection.ExecuteScalarAsync<string?>(Command(
            "select max(reporting_period) from submission where status = 'accepted'", null, cancellationToken)).ConfigureAwait(false);
        return latest is null ? null : Period.Parse(latest);
    }

    /// <summary>The counts of the given organisations for every month up to <paramref name="to"/> (the SPC check needs the whole series).</summary>
    public async Task<CountStore> ReadAsync(IEnumerable<(Level Level, string OrganisationCode)> organisations, Period to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisations);
        var counts = new CountStore();
        var periods = new Dictionary<string, Period>(StringComparer.Ordinal);
        foreach (var (level, code) in organisations.Distinct())
        {
            var reader = await store.Statement(ReadSql, "@level", "@code", "@to").Bind(level.ToWire(), code, to.ToString())
                .ReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var text = reader.GetString(0);
                    if (!periods.TryGetValue(text, out var period))
                    {
                        period = Period.Parse(text);
                        periods.Add(text, period);
                    }

                    var indicator = reader.GetString(1);
                    var breakdown = BreakdownOf(reader.GetString(2));
                    var groups = breakdown == ComparisonBreakdown.EthnicGroup ? Ethnic : Imd;
                    for (var g = 0; g < groups.Length; g++)
                    {
                        counts.Add(new GroupCount(period, level, code, indicator, breakdown, groups[g], reader.GetInt64(3 + g), reader.GetInt64(3 + groups.Length + g)));
                    }
                }
            }
        }

        return counts;
    }

    internal static Level LevelOf(string wire) => wire switch
    {
        "organisation" => Level.Organisation,
        "lmns" => Level.Lmns,
        "region" => Level.Region,
        _ => throw new InvalidOperationException($"detection_count holds an unknown level '{wire}'."),
    };

    private static ComparisonBreakdown BreakdownOf(string wire) => wire switch
    {
        "ethnic_group" => ComparisonBreakdown.EthnicGroup,
        "imd_quintile" => ComparisonBreakdown.ImdQuintile,
        _ => throw new InvalidOperationException($"detection_count holds an unknown breakdown '{wire}'."),
    };

    /// <summary>An LMNS's or region's month as the sum of the trusts that belonged to it that month.</summary>
    private async Task RollUpAsync(Level level, string code, Period period, CancellationToken cancellationToken)
    {
        var members = reference.Trusts.Select(t => t.Code).Where(t => level == Level.Lmns
            ? reference.LmnsOf(t, period) == code
            : reference.LmnsOf(t, period) is { } lmns && reference.FindLmns(lmns, period)?.RegionCode == code).ToList();
        var parameters = new { level = level.ToWire(), code, period = period.ToString(), members };
        await ExecuteAsync(
            "delete from detection_count where level = @level and organisation_code = @code and period = @period", parameters, cancellationToken).ConfigureAwait(false);
        if (members.Count == 0)
        {
            return;
        }

        await ExecuteAsync(
            InsertColumns +
            $"""
            select @level, @code, period, indicator_code, breakdown, {string.Join(", ", CountColumns.Select(c => $"sum({c})"))} from detection_count
            where level = 'organisation' and period = @period and organisation_code in @members
            group by period, indicator_code, breakdown
            """,
            parameters,
            cancellationToken).ConfigureAwait(false);
    }

    private Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        store.Connection.ExecuteAsync(Command(sql, parameters, cancellationToken));

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, store.Transaction, cancellationToken: cancellationToken);
}
