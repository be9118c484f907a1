using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
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

    internal static readonly string[] Ethnic = [.. ComparisonGroups.All(ComparisonBreakdown.EthnicGroup)];
    internal static readonly string[] Imd = [.. ComparisonGroups.All(ComparisonBreakdown.ImdQuintile)];

    /// <summary>n1…n6, d1…d6: the groups' numerators and denominators in <see cref="ComparisonGroups.All"/> order (six for both breakdowns).</summary>
    internal static readonly string[] CountColumns =
        [.. Enumerable.Range(1, 6).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture)), .. Enumerable.Range(1, 6).Select(i => "d" + i.ToString(CultureInfo.InvariantCulture))];

    private static readonly string InsertColumns = $"insert into detection_count ({Key}, {string.Join(", ", CountColumns)}) ";

    private static readonly string ReadSql =
        $"select period, indicator_code, breakdown, {string.Join(", ", CountColumns)} from detection_count " +
        "where level = @level and organisation_code = @code and period <= @to order by period, indicator_code, breakdown";

    private const string DeleteTrustMonthSql =
        "delete from detection_count where level = 'organisation' and organisation_code = @trust and period = @period";

    // A month's trust-level rows for a rebuild, read on their own (no insert): the month's current submissions first, then each
    // one's measures through the primary key. SQLite keeps a cross join's order; with an ordinary join its planner scanned every
    // stored measure through ix_measure_org_period for each month (it prefers that index for the group by).
    private static readonly string MonthCountsSql =
        SelectTrustCounts("submission s cross join measure m", "m.submission_id = s.id and s.reporting_period = @period");

    // One detection_count row. A loaded trust-month's rows are aggregated in memory from the submission just loaded
    // (BroadGroupAggregation, the mapping the rebuild's SQL makes): re-aggregating its 540 measures in SQL was the largest
    // single cost of loading one file (#18). The recompute-versus-loading tests compare the two paths' rows.
    private const string InsertRowSql =
        "insert into detection_count (level, organisation_code, period, indicator_code, breakdown, " +
        "n1, n2, n3, n4, n5, n6, d1, d2, d3, d4, d5, d6) " +
        "values (@level, @code, @period, @indicator, @breakdown, @n1, @n2, @n3, @n4, @n5, @n6, @d1, @d2, @d3, @d4, @d5, @d6)";

    private static readonly string[] InsertRowParameters =
        ["@level", "@code", "@period", "@indicator", "@breakdown", .. CountColumns.Select(c => "@" + c)];

    // Measures mapped to broad groups, then pivoted into one row per trust-month-indicator-breakdown. Totals are left out (the
    // groups of a validated submission sum to them); IMD U stays U, quintile rows keep their code. The twelve group codes are
    // distinct, so a group's position needs no breakdown test.
    private static string SelectTrustCounts(string source, string filter) =>
        $$"""
        select 'organisation', organisation_code, reporting_period, indicator_code, breakdown, {{string.Join(", ", Pivot())}}
        from (
            select m.organisation_code, m.reporting_period, m.indicator_code,
                   case when m.breakdown = 'ethnic_category' then 'ethnic_group' else 'imd_quintile' end as breakdown,
                   case when m.breakdown = 'ethnic_category' then e.broad_group
                        when m.breakdown = 'imd_decile' and m.group_code <> 'U' then cast(d.quintile as varchar(1))
                        else m.group_code end as group_code,
                   m.numerator, m.denominator
            from {{source}}
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
    /// Replaces a trust-month's counts with those of <paramref name="submission"/> (call after it became current), then the
    /// LMNS and region sums for that month.
    /// </summary>
    public async Task RefreshTrustMonthAsync(Submission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        await RefreshTrustMonthsAsync([submission], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <see cref="RefreshTrustMonthAsync"/> for several trust-months (each submission the current one of its month): every
    /// trust's counts first, then each LMNS and region sum the batch touches once, not once per trust.
    /// </summary>
    public async Task RefreshTrustMonthsAsync(IReadOnlyCollection<Submission> submissions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submissions);
        var lmnsMonths = new List<(string Lmns, Period Period)>();
        var regionMonths = new List<(string Region, Period Period)>();
        foreach (var submission in submissions)
        {
            var (trustCode, period) = (submission.OrganisationCode, submission.ReportingPeriod);
            await ReplaceTrustCountsAsync(submission, cancellationToken).ConfigureAwait(false);
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

    // A trust-month's counts out of its current submission, one row per indicator and breakdown with any group, the groups in
    // ComparisonGroups.All order (a group outside them has no column, as in the rebuild's pivot); statements compiled once per
    // transaction (a batch runs them for every trust of the month).
    private async Task ReplaceTrustCountsAsync(Submission submission, CancellationToken cancellationToken)
    {
        var period = submission.ReportingPeriod.ToString();
        await store.Statement(DeleteTrustMonthSql, "@trust", "@period").Bind(submission.OrganisationCode, period)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        var rows = BroadGroupAggregation.FromSubmission(submission, reference)
            .GroupBy(c => (c.IndicatorCode, c.Breakdown))
            .OrderBy(g => g.Key.IndicatorCode, StringComparer.Ordinal).ThenBy(g => g.Key.Breakdown);
        foreach (var row in rows)
        {
            var groups = row.Key.Breakdown == ComparisonBreakdown.EthnicGroup ? Ethnic : Imd;
            var (numerators, denominators) = (new long[6], new long[6]);
            foreach (var count in row)
            {
                var g = Array.IndexOf(groups, count.GroupCode);
                if (g >= 0)
                {
                    numerators[g] += count.Numerator;
                    denominators[g] += count.Denominator;
                }
            }

            object?[] values =
            [
                Level.Organisation.ToWire(), submission.OrganisationCode, period, row.Key.IndicatorCode, row.Key.Breakdown.ToWire(),
                .. numerators.Select(n => (object?)n), .. denominators.Select(d => (object?)d),
            ];
            await store.Statement(InsertRowSql, InsertRowParameters).Bind(values).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rebuilds every count from <paramref name="from"/> on out of the current measures; returns the months rebuilt.</summary>
    public Task<IReadOnlyList<Period>> RebuildAsync(Period from, CancellationToken cancellationToken) =>
        RebuildAsync(from, ReadMonthCountsAsync, ahead: 0, cancellationToken);

    /// <summary>
    /// <see cref="RebuildAsync(Period, CancellationToken)"/> with each month's trust-level rows read by
    /// <paramref name="readMonth"/> (<see cref="ReadMonthCountsAsync"/> on a read-only connection of the store, so the next months
    /// are aggregated while this transaction writes), up to <paramref name="ahead"/> months ahead of the one written (0: each
    /// month read, then written, in turn — for reads on this transaction's own connection).
    /// Each month's LMNS and region sums are added up from its trust rows here, by the membership in force that month.
    /// </summary>
    public async Task<IReadOnlyList<Period>> RebuildAsync(
        Period from,
        Func<Period, CancellationToken, Task<IReadOnlyList<CountRow>>> readMonth,
        int ahead,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(readMonth);
        await ExecuteAsync("delete from detection_count where period >= @from", new { from = from.ToString() }, cancellationToken).ConfigureAwait(false);
        var months = (await store.Connection.QueryAsync<string>(Command(
            "select distinct reporting_period from submission where status = 'accepted' and reporting_period >= @from " +
            "order by reporting_period",
            new { from = from.ToString() },
            cancellationToken)).ConfigureAwait(false)).Select(Period.Parse).ToList();
        var periods = new List<Period>();
        async Task WriteAsync(IReadOnlyList<CountRow> rows)
        {
            if (rows.Count > 0)
            {
                periods.Add(Period.Parse(rows[0].Period));
                await InsertRowsAsync(rows, cancellationToken).ConfigureAwait(false);
                await InsertRowsAsync(RollUps(rows), cancellationToken).ConfigureAwait(false);
            }
        }

        if (ahead <= 0)
        {
            foreach (var month in months)
            {
                await WriteAsync(await readMonth(month, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }

            return periods;
        }

        // One reader, month after month, at most `ahead` months ahead of the one written.
        var queue = Channel.CreateBounded<IReadOnlyList<CountRow>>(
            new BoundedChannelOptions(ahead) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = Task.Run(
            async () =>
            {
                try
                {
                    foreach (var month in months)
                    {
                        var rows = await readMonth(month, stop.Token).ConfigureAwait(false);
                        await queue.Writer.WriteAsync(rows, stop.Token).ConfigureAwait(false);
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
            await foreach (var rows in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await WriteAsync(rows).ConfigureAwait(false);
            }
        }
        finally
        {
            // A failed write stops the reader, which is awaited so no read outlives the transaction.
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAny(reader).ConfigureAwait(false);
        }

        return periods;
    }

    /// <summary>One month's trust-level rows out of its current submissions' measures (what a rebuild writes for it), read only.</summary>
    public async Task<IReadOnlyList<CountRow>> ReadMonthCountsAsync(Period period, CancellationToken cancellationToken)
    {
        var rows = new List<CountRow>();
        var reader = await store.Statement(MonthCountsSql, "@period").Bind(period.ToString())
            .ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var values = new long[CountColumns.Length];
                for (var c = 0; c < values.Length; c++)
                {
                    values[c] = reader.GetInt64(5 + c);
                }

                rows.Add(new CountRow(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), values));
            }
        }

        return rows;
    }

    // A month's LMNS and region rows: the sums RollUpAsync writes (the trusts that belonged to each that month), out of the
    // month's trust rows in memory instead of one statement per LMNS and region.
    private List<CountRow> RollUps(IReadOnlyList<CountRow> trustRows)
    {
        var period = Period.Parse(trustRows[0].Period);
        var sums = new Dictionary<(string Level, string Code, string Indicator, string Breakdown), long[]>();
        var parents = new Dictionary<string, (string? Lmns, string? Region)>(StringComparer.Ordinal);
        foreach (var trust in reference.Trusts)
        {
            var lmns = reference.LmnsOf(trust.Code, period);
            parents[trust.Code] = (lmns, lmns is null ? null : reference.FindLmns(lmns, period)?.RegionCode);
        }

        void Add(string level, string code, CountRow row)
        {
            if (!sums.TryGetValue((level, code, row.Indicator, row.Breakdown), out var total))
            {
                total = new long[CountColumns.Length];
                sums.Add((level, code, row.Indicator, row.Breakdown), total);
            }

            for (var c = 0; c < total.Length; c++)
            {
                total[c] = checked(total[c] + row.Values[c]);
            }
        }

        foreach (var row in trustRows)
        {
            if (parents.TryGetValue(row.Code, out var parent) && parent.Lmns is { } lmns)
            {
                Add(Level.Lmns.ToWire(), lmns, row);
                if (parent.Region is { } region)
                {
                    Add(Level.Region.ToWire(), region, row);
                }
            }
        }

        return [.. sums.Select(s => new CountRow(s.Key.Level, s.Key.Code, trustRows[0].Period, s.Key.Indicator, s.Key.Breakdown, s.Value))];
    }

    private async Task InsertRowsAsync(IEnumerable<CountRow> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            var values = new object?[InsertRowParameters.Length];
            (values[0], values[1], values[2], values[3], values[4]) = (row.Level, row.Code, row.Period, row.Indicator, row.Breakdown);
            for (var c = 0; c < row.Values.Count; c++)
            {
                values[5 + c] = row.Values[c];
            }

            await store.Statement(InsertRowSql, InsertRowParameters).Bind(values).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
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
        foreach (var (level, code) in organisations.Distinct())
        {
            (await ReadOrganisationAsync(level, code, to, cancellationToken).ConfigureAwait(false)).AddTo(counts);
        }

        return counts;
    }

    /// <summary>
    /// One organisation's rows up to <paramref name="to"/> as stored: the series a full recompute evaluates, read ahead of its
    /// write transaction, and what that transaction compares with a read of its own (<see cref="OrganisationCounts.SameRows"/>).
    /// </summary>
    public async Task<OrganisationCounts> ReadOrganisationAsync(Level level, string code, Period to, CancellationToken cancellationToken)
    {
        var rows = new OrganisationCounts(level, code);
        var reader = await store.Statement(ReadSql, "@level", "@code", "@to").Bind(level.ToWire(), code, to.ToString())
            .ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Keys.Add(reader.GetString(0));
                rows.Keys.Add(reader.GetString(1));
                rows.Keys.Add(reader.GetString(2));
                for (var c = 0; c < CountColumns.Length; c++)
                {
                    rows.Values.Add(reader.GetInt64(3 + c));
                }
            }
        }

        return rows;
    }

    internal static Level LevelOf(string wire) => wire switch
    {
        "organisation" => Level.Organisation,
        "lmns" => Level.Lmns,
        "region" => Level.Region,
        _ => throw new InvalidOperationException($"detection_count holds an unknown level '{wire}'."),
    };

    internal static ComparisonBreakdown BreakdownOf(string wire) => wire switch
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
