using System.Data.Common;
using System.Globalization;
using Dapper;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Statistics.Spc;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Reads detection's rows (<c>group_comparison</c>, <c>deprivation_gradient</c>, <c>data_quality_finding</c>) for a set
/// of windows back into <see cref="DetectionResult"/>, inside the caller's transaction (so the alert step sees what the
/// detection step of the same load just wrote).
/// </summary>
public sealed class DetectionRowReader(StoreSession session)
{
    private DbConnection connection => session.Connection;

    private DbTransaction transaction => session.Transaction;

    private const string Key = "level = @level and organisation_code = @organisation and period_end = @period";

    private static readonly string[] KeyParameters = ["@level", "@organisation", "@period"];

    /// <summary>The latest period any window ends at (null before detection has produced a row).</summary>
    public async Task<Period?> LatestWindowEndAsync(CancellationToken cancellationToken)
    {
        var latest = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "select max(period_end) from group_comparison", transaction: transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
        return Period.TryParse(latest, out var period) ? period : null;
    }

    public Task<DetectionResult> ReadAsync(IEnumerable<WindowKey> windows, CancellationToken cancellationToken) =>
        ReadAsync(windows, holdingOnly: false, cancellationToken);

    /// <summary>
    /// What an alert evaluation needs of these windows (#18): the windows that hold any detection row (their organisations were
    /// evaluated), and of their rows only the comparisons and gradients whose signal makes a rule hold, with every
    /// data-quality finding. A month's windows hold tens of thousands of comparisons, of which a few hundred signal.
    /// </summary>
    public async Task<(IReadOnlyList<WindowKey> Evaluated, DetectionResult Holding)> ReadForAlertsAsync(
        IEnumerable<WindowKey> windows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var distinct = windows.Distinct().ToList();
        var evaluated = new List<WindowKey>();
        foreach (var window in distinct)
        {
            object?[] key = [window.Level.ToWire(), window.OrganisationCode, window.PeriodEnd.ToString()];
            if (Convert.ToInt64(await session.Statement(AnyRowSql, KeyParameters).Bind(key).ScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture) != 0)
            {
                evaluated.Add(window);
            }
        }

        return (evaluated, await ReadAsync(evaluated, holdingOnly: true, cancellationToken).ConfigureAwait(false));
    }

    private const string AnyRowSql =
        $"""
        select case when exists (select 1 from group_comparison where {Key})
                      or exists (select 1 from deprivation_gradient where {Key})
                      or exists (select 1 from data_quality_finding where {Key}) then 1 else 0 end
        """;

    // Only the rows whose signal makes a rule hold (Firing.RuleHolds: alert or watch, as stored). A literal condition, so the
    // window's index (level, organisation_code, period_end, signal; migration 0073) seeks them.
    private const string Holding = "signal in ('alert', 'watch')";

    private const string ComparisonColumns =
        """
        level, organisation_code, indicator_code, breakdown, group_code, reference_group_code, window_months, period_end, months_present,
        numerator, denominator, value, ci_lower, ci_upper, reference_numerator, reference_denominator, reference_value, rate_ratio,
        rr_ci_lower, rr_ci_upper, rr_ci_lower_998, rr_ci_upper_998, absolute_difference, haldane_corrected, direction, signal,
        signal_rule, spc_rule, spc_concern, inhibited_reason, min_detectable_ratio, detects_doubling, cusum, cusum_threshold
        """;

    private const string ComparisonsSql = $"select {ComparisonColumns} from group_comparison where {Key}";

    private const string HoldingComparisonsSql = $"select {ComparisonColumns} from group_comparison where {Key} and {Holding}";

    private const string GradientColumns =
        """
        level, organisation_code, indicator_code, window_months, period_end, months_present, sii, sii_ci_lower, sii_ci_upper,
        rii, rii_ci_lower, rii_ci_upper, signal, inhibited_reason, rii_ci_lower_998, rii_ci_upper_998
        """;

    private const string GradientsSql = $"select {GradientColumns} from deprivation_gradient where {Key}";

    private const string HoldingGradientsSql = $"select {GradientColumns} from deprivation_gradient where {Key} and {Holding}";

    private async Task<DetectionResult> ReadAsync(IEnumerable<WindowKey> windows, bool holdingOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var comparisons = new List<GroupComparison>();
        var gradients = new List<DeprivationGradient>();
        var findings = new List<DataQualityFinding>();
        foreach (var window in windows.Distinct())
        {
            object?[] key = [window.Level.ToWire(), window.OrganisationCode, window.PeriodEnd.ToString()];
            comparisons.AddRange(await ReadAsync(
                holdingOnly ? HoldingComparisonsSql : ComparisonsSql,
                KeyParameters,
                key,
                r => new GroupComparison(
                    Wire<Level>(r.GetString(0)), r.GetString(1), r.GetString(2), Wire<ComparisonBreakdown>(r.GetString(3)), r.GetString(4), r.GetString(5),
                    Int(r, 6), Period.Parse(r.GetString(7)), Int(r, 8), Long(r, 9), Long(r, 10), Real(r, 11), Real(r, 12), Real(r, 13),
                    Long(r, 14), Long(r, 15), Real(r, 16), Real(r, 17), Real(r, 18), Real(r, 19), Real(r, 20), Real(r, 21), Real(r, 22),
                    Long(r, 23) != 0, Wire<Direction>(r.GetString(24)), Wire<Signal>(r.GetString(25)), Wire<SignalRule>(r.GetString(26)),
                    Wire<SpecialCauseRule>(r.GetString(27)), Long(r, 28) != 0, r.IsDBNull(29) ? null : r.GetString(29))
                {
                    // Null detects_doubling: a row written before migration 0070 (unknown, not "none").
                    Detectable = r.IsDBNull(31) ? null : new DetectableRatio(Real(r, 30)),
                    Cusum = Real(r, 32),
                    CusumThreshold = Real(r, 33),
                },
                cancellationToken).ConfigureAwait(false));
            gradients.AddRange(await ReadAsync(
                holdingOnly ? HoldingGradientsSql : GradientsSql,
                KeyParameters,
                key,
                r => new DeprivationGradient(
                    Wire<Level>(r.GetString(0)), r.GetString(1), r.GetString(2), Int(r, 3), Period.Parse(r.GetString(4)), Int(r, 5),
                    Real(r, 6), Real(r, 7), Real(r, 8), Real(r, 9), Real(r, 10), Real(r, 11), Wire<Signal>(r.GetString(12)),
                    r.IsDBNull(13) ? null : r.GetString(13))
                {
                    RiiCiLower998 = Real(r, 14),
                    RiiCiUpper998 = Real(r, 15),
                },
                cancellationToken).ConfigureAwait(false));
            findings.AddRange(await ReadAsync(
                $"""
                select level, organisation_code, indicator_code, breakdown, window_months, period_end, unknown_denominator, total_denominator,
                       unknown_share, threshold, message
                from data_quality_finding where {Key}
                """,
                KeyParameters,
                key,
                r => new DataQualityFinding(
                    Wire<Level>(r.GetString(0)), r.GetString(1), r.GetString(2), Wire<ComparisonBreakdown>(r.GetString(3)), Int(r, 4),
                    Period.Parse(r.GetString(5)), Long(r, 6), Long(r, 7), Real(r, 8) ?? 0, Real(r, 9) ?? 0, r.GetString(10)),
                cancellationToken).ConfigureAwait(false));
        }

        return new DetectionResult(comparisons, gradients, findings);
    }

    // Each select is compiled once per transaction and re-bound per window (an alert run reads every window it evaluates).
    private async Task<IReadOnlyList<T>> ReadAsync<T>(
        string sql, string[] parameters, object?[] values, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var reader = await session.Statement(sql, parameters).Bind(values).ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }
        }

        return rows;
    }

    private static int Int(DbDataReader r, int i) => Convert.ToInt32(r.GetValue(i), CultureInfo.InvariantCulture);

    private static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    private static double? Real(DbDataReader r, int i) => r.IsDBNull(i) ? null : Convert.ToDouble(r.GetValue(i), CultureInfo.InvariantCulture);

    // The enums are stored snake_case (ethnic_group, outside_limits): compare with the underscores removed, ignoring case.
    // A read returns tens of thousands of rows with a handful of distinct values per column, so each text is parsed once.
    private static T Wire<T>(string wire)
        where T : struct, Enum =>
        WireValues<T>.Parsed.TryGetValue(wire, out var known) ? known : WireValues<T>.Parsed.GetOrAdd(wire, ParseWire<T>);

    private static T ParseWire<T>(string wire)
        where T : struct, Enum =>
        Enum.TryParse<T>(wire.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new InvalidDataException($"'{wire}' is not a valid {typeof(T).Name} in the detection tables.");

    // Only valid texts are kept (an invalid one throws before it is added), so each holds at most the enum's spellings.
    private static class WireValues<T>
        where T : struct, Enum
    {
        public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, T> Parsed = new(StringComparer.Ordinal);
    }
}
