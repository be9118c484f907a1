using Dapper;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reporting;

namespace Pipeline.Adapters.Store.Reporting;

/// <summary>
/// Reads what an LMNS equity report shows from the store's views (<c>v_group_comparison</c>, <c>v_deprivation_gradient</c>,
/// <c>data_quality_finding</c>): the LMNS's own rows and its trusts', for the windows ending at the period.
/// </summary>
public static class EquityReportQueries
{
    public static async Task<(IReadOnlyList<ReportComparison> Comparisons, IReadOnlyList<ReportGradient> Gradients, IReadOnlyList<ReportDataQuality> DataQuality)>
        LoadAsync(IPipelineStore store, string lmnsCode, IReadOnlyCollection<string> trustCodes, Period period, CancellationToken cancellationToken)
    {
        if (store is not SqlPipelineStore sql)
        {
            throw new ArgumentException("The equity report reads a SQL store.", nameof(store));
        }

        var connection = await sql.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var scope = new { period = period.ToString(), lmns = lmnsCode, trusts = trustCodes.ToArray() };
            const string Where = "period_end = @period and ((level = 'lmns' and organisation_code = @lmns) or (level = 'organisation' and organisation_code in @trusts))";
            var comparisons = await connection.QueryAsync<ComparisonRow>(new CommandDefinition(
                $"""
                select level as Level, organisation_code as OrganisationCode, indicator_code as IndicatorCode, breakdown as Breakdown,
                       group_code as GroupCode, reference_group_code as ReferenceGroupCode, window_months as WindowMonths,
                       numerator as Numerator, denominator as Denominator, value as Value, ci_lower as CiLower, ci_upper as CiUpper,
                       reference_numerator as ReferenceNumerator, reference_denominator as ReferenceDenominator, reference_value as ReferenceValue,
                       rate_ratio as RateRatio, rr_ci_lower as RrCiLower, rr_ci_upper as RrCiUpper, rr_ci_lower_998 as RrCiLower998,
                       rr_ci_upper_998 as RrCiUpper998, direction as Direction, signal as Signal, signal_rule as SignalRule,
                       inhibited_reason as InhibitedReason
                from v_group_comparison where {Where}
                """,
                scope,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var gradients = await connection.QueryAsync<GradientRow>(new CommandDefinition(
                $"""
                select level as Level, organisation_code as OrganisationCode, indicator_code as IndicatorCode, window_months as WindowMonths,
                       sii as Sii, sii_ci_lower as SiiCiLower, sii_ci_upper as SiiCiUpper, rii as Rii, rii_ci_lower as RiiCiLower,
                       rii_ci_upper as RiiCiUpper, signal as Signal, inhibited_reason as InhibitedReason
                from v_deprivation_gradient where {Where}
                """,
                scope,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            var quality = await connection.QueryAsync<QualityRow>(new CommandDefinition(
                $"""
                select level as Level, organisation_code as OrganisationCode, indicator_code as IndicatorCode, breakdown as Breakdown,
                       unknown_denominator as UnknownDenominator, total_denominator as TotalDenominator, unknown_share as UnknownShare,
                       threshold as Threshold
                from data_quality_finding where {Where}
                """,
                scope,
                cancellationToken: cancellationToken)).ConfigureAwait(false);
            return (
                [.. comparisons.Select(r => r.ToReport())],
                [.. gradients.Select(r => r.ToReport())],
                [.. quality.Select(r => r.ToReport())]);
        }
    }

    private static Level ParseLevel(string wire) =>
        DetectionNames.TryParseLevel(wire, out var level) ? level : throw new InvalidDataException($"Unknown level '{wire}' in the store.");

    private static ComparisonBreakdown ParseBreakdown(string wire) =>
        DetectionNames.TryParseBreakdown(wire, out var breakdown) ? breakdown : throw new InvalidDataException($"Unknown breakdown '{wire}' in the store.");

    // The store's wire names for these enums are their member names in lower case (DetectionNames.ToWire).
    private static T ParseName<T>(string? wire, T none)
        where T : struct, Enum => Enum.TryParse<T>(wire, ignoreCase: true, out var value) ? value : none;

    private sealed record ComparisonRow(
        string Level, string OrganisationCode, string IndicatorCode, string Breakdown, string GroupCode, string ReferenceGroupCode,
        long WindowMonths, long Numerator, long Denominator, double? Value, double? CiLower, double? CiUpper, long? ReferenceNumerator,
        long? ReferenceDenominator, double? ReferenceValue, double? RateRatio, double? RrCiLower, double? RrCiUpper, double? RrCiLower998,
        double? RrCiUpper998, string Direction, string Signal, string? SignalRule, string? InhibitedReason)
    {
        public ReportComparison ToReport() => new(
            ParseLevel(Level), OrganisationCode, IndicatorCode, ParseBreakdown(Breakdown), GroupCode, ReferenceGroupCode,
            checked((int)WindowMonths), Numerator, Denominator, Value, CiLower, CiUpper, ReferenceNumerator, ReferenceDenominator, ReferenceValue,
            RateRatio, RrCiLower, RrCiUpper, RrCiLower998, RrCiUpper998, ParseName(Direction, Core.Detection.Direction.None),
            ParseName(Signal, Core.Detection.Signal.None), ParseName(SignalRule, Core.Detection.SignalRule.None), InhibitedReason);
    }

    private sealed record GradientRow(
        string Level, string OrganisationCode, string IndicatorCode, long WindowMonths, double? Sii, double? SiiCiLower, double? SiiCiUpper,
        double? Rii, double? RiiCiLower, double? RiiCiUpper, string Signal, string? InhibitedReason)
    {
        public ReportGradient ToReport() => new(
            ParseLevel(Level), OrganisationCode, IndicatorCode, checked((int)WindowMonths), Sii, SiiCiLower, SiiCiUpper, Rii, RiiCiLower,
            RiiCiUpper, ParseName(Signal, Core.Detection.Signal.None), InhibitedReason);
    }

    private sealed record QualityRow(
        string Level, string OrganisationCode, string IndicatorCode, string Breakdown, long UnknownDenominator, long TotalDenominator,
        double UnknownShare, double Threshold)
    {
        public ReportDataQuality ToReport() => new(
            ParseLevel(Level), OrganisationCode, IndicatorCode, ParseBreakdown(Breakdown), UnknownDenominator, TotalDenominator,
            UnknownShare, Threshold);
    }
}
