using System.Data.Common;
using Dapper;
using Pipeline.Adapters.Store;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Tests.Alerts;

/// <summary>
/// Stands in for the detection step (written in parallel on another branch) so the alert step can be tested through the
/// real processor: runs the real, pure <see cref="DivergenceEngine"/> over the current measures for the windows the load
/// touches and replaces their <c>group_comparison</c> rows, inside the load transaction, as detection will.
/// </summary>
internal sealed class StandInDetectionStep(ReferenceData reference) : IAfterLoad
{
    public async Task AfterLoadAsync(AfterLoadContext context, CancellationToken cancellationToken)
    {
        var (connection, transaction) = (context.Connection, context.Transaction);
        var measures = await connection.QueryAsync<(string Org, string Period, string Indicator, string Breakdown, string Group, long N, long D)>(new CommandDefinition(
            "select organisation_code, reporting_period, indicator_code, breakdown, group_code, numerator, denominator from v_measure_current",
            transaction: transaction,
            cancellationToken: cancellationToken));
        var counts = measures
            .GroupBy(m => (m.Org, m.Period))
            .SelectMany(g => BroadGroupAggregation.FromMeasures(
                g.Key.Org,
                Period.Parse(g.Key.Period),
                g.Select(m => new Measure(m.Indicator, BreakdownNames.TryParse(m.Breakdown, out var b) ? b : throw new InvalidDataException(m.Breakdown), m.Group, m.N, m.D)),
                reference))
            .ToList();
        var latest = counts.Max(c => c.Period);
        var windows = RecomputeScope.Affected(reference, context.Submission.OrganisationCode, context.Submission.ReportingPeriod, latest);
        var result = new DivergenceEngine(reference).Evaluate(CountStore.From(OrganisationRollup.WithRollUps(counts, reference)), windows);
        foreach (var w in windows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "delete from group_comparison where level = @level and organisation_code = @org and period_end = @period",
                new { level = w.Level.ToWire(), org = w.OrganisationCode, period = w.PeriodEnd.ToString() },
                transaction,
                cancellationToken: cancellationToken));
        }

        await InsertAsync(connection, transaction, SqlDialect.For(context.Engine), result.Comparisons, cancellationToken);
    }

    private static Task InsertAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, IEnumerable<GroupComparison> rows, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            insert into group_comparison (level, organisation_code, indicator_code, breakdown, group_code, reference_group_code, window_months, period_end,
                months_present, numerator, denominator, value, ci_lower, ci_upper, reference_numerator, reference_denominator, reference_value, rate_ratio,
                rr_ci_lower, rr_ci_upper, rr_ci_lower_998, rr_ci_upper_998, absolute_difference, haldane_corrected, direction, signal, signal_rule,
                spc_rule, spc_concern, inhibited_reason, computed_at)
            values (@Level, @OrganisationCode, @IndicatorCode, @Breakdown, @GroupCode, @ReferenceGroupCode, @WindowMonths, @PeriodEnd,
                @MonthsPresent, @Numerator, @Denominator, @Value, @CiLower, @CiUpper, @ReferenceNumerator, @ReferenceDenominator, @ReferenceValue, @RateRatio,
                @RrCiLower, @RrCiUpper, @RrCiLower998, @RrCiUpper998, @AbsoluteDifference, @HaldaneCorrected, @Direction, @Signal, @SignalRule,
                @SpcRule, @SpcConcern, @InhibitedReason, @ComputedAt)
            """,
            rows.Select(c => new
            {
                Level = c.Level.ToWire(), c.OrganisationCode, c.IndicatorCode, Breakdown = c.Breakdown.ToWire(), c.GroupCode, c.ReferenceGroupCode, c.WindowMonths,
                PeriodEnd = c.PeriodEnd.ToString(), c.MonthsPresent, c.Numerator, c.Denominator, c.Value, c.CiLower, c.CiUpper, c.ReferenceNumerator,
                c.ReferenceDenominator, c.ReferenceValue, c.RateRatio, c.RrCiLower, c.RrCiUpper, c.RrCiLower998, c.RrCiUpper998, c.AbsoluteDifference,
                HaldaneCorrected = c.HaldaneCorrected ? 1 : 0, Direction = c.Direction.ToWire(), Signal = c.Signal.ToWire(), SignalRule = c.Rule.ToWire() ?? "none",
                SpcRule = c.Spc.ToString().ToLowerInvariant(), SpcConcern = c.SpcConcern ? 1 : 0, c.InhibitedReason,
                ComputedAt = dialect.Timestamp(DateTimeOffset.UnixEpoch),
            }).ToList(),
            transaction,
            cancellationToken: cancellationToken));
}
