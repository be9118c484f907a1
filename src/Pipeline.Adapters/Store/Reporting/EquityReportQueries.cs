using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reporting;
using ReportRows = (
    System.Collections.Generic.IReadOnlyList<Pipeline.Core.Reporting.ReportComparison> Comparisons,
    System.Collections.Generic.IReadOnlyList<Pipeline.Core.Reporting.ReportGradient> Gradients,
    System.Collections.Generic.IReadOnlyList<Pipeline.Core.Reporting.ReportDataQuality> DataQuality);

namespace Pipeline.Adapters.Store.Reporting;

/// <summary>
/// Reads what an LMNS equity report shows from the store: the LMNS's own detection rows and its trusts', for the
/// windows ending at the period, through the same <see cref="DetectionRowReader"/> the alert step uses.
/// </summary>
public static class EquityReportQueries
{
    public static async Task<(IReadOnlyList<ReportComparison> Comparisons, IReadOnlyList<ReportGradient> Gradients, IReadOnlyList<ReportDataQuality> DataQuality)>
        LoadAsync(IPipelineStore store, string lmnsCode, IReadOnlyCollection<string> trustCodes, Period period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(trustCodes);
        WindowKey[] windows = [new(Level.Lmns, lmnsCode, period), .. trustCodes.Select(t => new WindowKey(Level.Organisation, t, period))];
        var result = await store.ReadAsync((session, ct) => session.DetectionResults.ReadAsync(windows, ct), cancellationToken).ConfigureAwait(false);
        return Convert(result);
    }

    /// <summary>The detection rows of these organisations (at their levels) for the windows ending at the period.</summary>
    public static async Task<ReportRows> LoadAsync(
        IPipelineStore store, IReadOnlyCollection<(Level Level, string Code)> units, Period period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(units);
        WindowKey[] windows = [.. units.Select(u => new WindowKey(u.Level, u.Code, period))];
        var result = await store.ReadAsync((session, ct) => session.DetectionResults.ReadAsync(windows, ct), cancellationToken)
            .ConfigureAwait(false);
        return Convert(result);
    }

    private static ReportRows Convert(DetectionResult result) =>
        (
            [.. result.Comparisons.Select(ReportComparison.From)],
            [.. result.Gradients.Select(ReportGradient.From)],
            [.. result.DataQuality.Select(ReportDataQuality.From)]);
}
