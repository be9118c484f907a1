using System.Data.Common;
using System.Globalization;
using Dapper;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store.Detection;

/// <summary>
/// Writes the engine's output to <c>group_comparison</c>, <c>deprivation_gradient</c> and <c>data_quality_finding</c> inside the
/// caller's transaction. Rows are replaced, never appended: a recomputed window first loses every row it had, so a group that
/// no longer has data (or a finding that no longer applies) disappears.
/// </summary>
public sealed class DetectionRows(StoreSession store, DateTimeOffset computedAt)
{
    private const string Key = "level = @level and organisation_code = @code and period_end = @period";

    private static readonly string[] ComparisonColumns =
    [
        "level", "organisation_code", "indicator_code", "breakdown", "group_code", "reference_group_code", "window_months", "period_end",
        "months_present", "numerator", "denominator", "value", "ci_lower", "ci_upper", "reference_numerator", "reference_denominator",
        "reference_value", "rate_ratio", "rr_ci_lower", "rr_ci_upper", "rr_ci_lower_998", "rr_ci_upper_998", "absolute_difference",
        "haldane_corrected", "direction", "signal", "signal_rule", "spc_rule", "spc_concern", "inhibited_reason", "computed_at",
        "min_detectable_ratio", "detects_doubling", "cusum", "cusum_threshold",
    ];

    private static readonly string[] GradientColumns =
    [
        "level", "organisation_code", "indicator_code", "window_months", "period_end", "months_present", "sii", "sii_ci_lower",
        "sii_ci_upper", "rii", "rii_ci_lower", "rii_ci_upper", "rii_ci_lower_998", "rii_ci_upper_998", "signal", "inhibited_reason", "computed_at",
    ];

    private static readonly string[] FindingColumns =
    [
        "level", "organisation_code", "indicator_code", "breakdown", "window_months", "period_end", "unknown_denominator",
        "total_denominator", "unknown_share", "threshold", "message", "computed_at",
    ];

    private static readonly string[] DeleteWindowSql =
        [.. new[] { "group_comparison", "deprivation_gradient", "data_quality_finding" }.Select(table => $"delete from {table} where {Key}")];

    private static readonly string[] ComparisonParameters = Names(ComparisonColumns);
    private static readonly string[] GradientParameters = Names(GradientColumns);
    private static readonly string[] FindingParameters = Names(FindingColumns);
    private static readonly string ComparisonInsert = InsertSql("group_comparison", ComparisonColumns);
    private static readonly string GradientInsert = InsertSql("deprivation_gradient", GradientColumns);
    private static readonly string FindingInsert = InsertSql("data_quality_finding", FindingColumns);

    // SQLite keeps instants as fixed-width ISO-8601 UTC text (as the store writes every timestamp), SQL Server as datetimeoffset.
    private readonly object _computedAt = SqlDialect.For(store.Engine).Timestamp(computedAt);

    /// <summary>Deletes every row of the windows ending at <paramref name="periodEnd"/> for one organisation (all three tables).</summary>
    public async Task DeleteWindowAsync(Level level, string code, Period periodEnd, bool comparisonsOnly, CancellationToken cancellationToken)
    {
        foreach (var sql in comparisonsOnly ? DeleteWindowSql[..1] : DeleteWindowSql)
        {
            await store.Statement(sql, "@level", "@code", "@period").Bind(level.ToWire(), code, periodEnd.ToString())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes every row of one organisation's windows ending at or after <paramref name="from"/> (a full recompute's batch).</summary>
    public async Task DeleteFromAsync(Level level, string code, Period from, CancellationToken cancellationToken)
    {
        var parameters = new { level = level.ToWire(), code, period = from.ToString() };
        foreach (var table in new[] { "group_comparison", "deprivation_gradient", "data_quality_finding" })
        {
            await store.Connection.ExecuteAsync(new CommandDefinition(
                $"delete from {table} where level = @level and organisation_code = @code and period_end >= @period",
                parameters,
                store.Transaction,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }

    public async Task InsertAsync(DetectionResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await InsertAsync(ComparisonInsert, ComparisonParameters, result.Comparisons.Select(c => new object?[]
        {
            c.Level.ToWire(), c.OrganisationCode, c.IndicatorCode, c.Breakdown.ToWire(), c.GroupCode, c.ReferenceGroupCode, c.WindowMonths,
            c.PeriodEnd.ToString(), c.MonthsPresent, c.Numerator, c.Denominator, c.Value, c.CiLower, c.CiUpper, c.ReferenceNumerator,
            c.ReferenceDenominator, c.ReferenceValue, c.RateRatio, c.RrCiLower, c.RrCiUpper, c.RrCiLower998, c.RrCiUpper998,
            c.AbsoluteDifference, c.HaldaneCorrected, c.Direction.ToWire(), c.Signal.ToWire(), c.Rule.ToWire() ?? "none",
            SpcRuleName(c.Spc), c.SpcConcern, c.InhibitedReason, _computedAt, c.Detectable?.Ratio,
            c.Detectable is null ? null : !c.Detectable.CannotDetectDoubling, c.Cusum, c.CusumThreshold,
        }), cancellationToken).ConfigureAwait(false);
        await InsertAsync(GradientInsert, GradientParameters, result.Gradients.Select(g => new object?[]
        {
            g.Level.ToWire(), g.OrganisationCode, g.IndicatorCode, g.WindowMonths, g.PeriodEnd.ToString(), g.MonthsPresent, g.Sii,
            g.SiiCiLower, g.SiiCiUpper, g.Rii, g.RiiCiLower, g.RiiCiUpper, g.RiiCiLower998, g.RiiCiUpper998, g.Signal.ToWire(), g.InhibitedReason, _computedAt,
        }), cancellationToken).ConfigureAwait(false);
        await InsertAsync(FindingInsert, FindingParameters, result.DataQuality.Select(f => new object?[]
        {
            f.Level.ToWire(), f.OrganisationCode, f.IndicatorCode, f.Breakdown.ToWire(), f.WindowMonths, f.PeriodEnd.ToString(),
            f.UnknownDenominator, f.TotalDenominator, f.UnknownShare, f.Threshold, f.Message, _computedAt,
        }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The special cause's name as stored in <c>spc_rule</c>: snake_case of the rule (<c>none</c> when there is none).</summary>
    public static string SpcRuleName(Core.Statistics.Spc.SpecialCauseRule rule) =>
        string.Concat(rule.ToString().Select((ch, i) => char.IsUpper(ch) ? (i > 0 ? "_" : string.Empty) + char.ToLowerInvariant(ch) : ch.ToString()));

    private static string[] Names(string[] columns) => [.. columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture))];

    // The parameters are named as Names names them: @p0, @p1, … in column order.
    private static string InsertSql(string table, string[] columns) =>
        $"insert into {table} ({string.Join(", ", columns)}) values ({string.Join(", ", columns.Select((_, i) => "@p" + i.ToString(CultureInfo.InvariantCulture)))})";

    // One statement per table for the whole transaction, re-bound per row: compiled once on SQLite (its fastest insert path)
    // however many windows the batch writes; SQL Server's statements are cached by the server.
    private async Task InsertAsync(string sql, string[] parameters, IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        foreach (var row in rows)
        {
            await store.Statement(sql, parameters).Bind(row).ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
