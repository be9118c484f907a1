using Pipeline.Adapters.Store;
using Pipeline.Adapters.Store.Detection;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.App.Detection;

/// <summary>
/// Evaluates windows with the engine and replaces their rows, inside the caller's transaction. The one evaluation both the
/// incremental path (after each load) and the full recompute use, so the two give the same rows.
/// A window ending at a month exists for a series only when the series has data in that month (its organisation — for an
/// LMNS or region, one of its trusts then — submitted it): every submitted month gets its window, and a month nobody has
/// submitted yet gets none, whichever path computes it.
/// </summary>
public sealed class DetectionWindows(ReferenceData reference, DivergenceEngine engine, TimeProvider time)
{
    public ReferenceData Reference => reference;

    public DivergenceEngine Engine => engine;

    /// <summary>
    /// Recomputes <paramref name="windows"/> in full (comparisons, gradients, data-quality findings) and, for each of their
    /// organisations, the comparisons of every later month up to <paramref name="latest"/>: a changed month can move the SPC
    /// check of any later point (it may sit in the XmR baseline, or within a run rule's reach of points, not months), while the
    /// pooled windows, gradients and findings only change within the window length.
    /// </summary>
    public async Task RecomputeAsync(StoreTransaction store, IReadOnlyCollection<WindowKey> windows, Period latest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var organisations = windows.Select(w => (w.Level, w.OrganisationCode)).Distinct().ToList();
        var series = await new DetectionCounts(store, reference).ReadAsync(organisations, latest, cancellationToken).ConfigureAwait(false);
        var rows = new DetectionRows(store, time.GetUtcNow());
        var full = new List<SeriesEvaluation>();
        var comparisonsOnly = new List<SeriesEvaluation>();
        foreach (var window in windows.Distinct())
        {
            await rows.DeleteWindowAsync(window.Level, window.OrganisationCode, window.PeriodEnd, comparisonsOnly: false, cancellationToken).ConfigureAwait(false);
            full.AddRange(Evaluate(series, window, withGradient: true));
        }

        foreach (var (level, code) in organisations)
        {
            var last = windows.Where(w => w.Level == level && w.OrganisationCode == code).Max(w => w.PeriodEnd);
            for (var period = last.AddMonths(1); period <= latest; period = period.AddMonths(1))
            {
                await rows.DeleteWindowAsync(level, code, period, comparisonsOnly: true, cancellationToken).ConfigureAwait(false);
                comparisonsOnly.AddRange(Evaluate(series, new WindowKey(level, code, period), withGradient: false));
            }
        }

        await rows.InsertAsync(Collect(full), cancellationToken).ConfigureAwait(false);
        await rows.InsertAsync(new DetectionResult([.. comparisonsOnly.SelectMany(e => e.Comparisons)], [], []), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every window of one organisation's series ending in <paramref name="from"/> or later (a full recompute's batch).</summary>
    public DetectionResult EvaluateFrom(CountStore series, Level level, string organisationCode, Period from)
    {
        ArgumentNullException.ThrowIfNull(series);
        var months = series.SeriesFor(level, organisationCode).SelectMany(s => s.Months).Where(m => m >= from).Distinct().Order();
        return Collect(months.SelectMany(m => Evaluate(series, new WindowKey(level, organisationCode, m), withGradient: true)));
    }

    private IEnumerable<SeriesEvaluation> Evaluate(CountStore series, WindowKey window, bool withGradient) =>
        series.SeriesFor(window.Level, window.OrganisationCode)
            .Where(s => s.HasMonth(window.PeriodEnd))
            .Select(s => engine.EvaluateSeries(s, window.PeriodEnd, withGradient));

    private static DetectionResult Collect(IEnumerable<SeriesEvaluation> evaluations)
    {
        var list = evaluations.ToList();
        return new DetectionResult(
            [.. list.SelectMany(e => e.Comparisons)],
            [.. list.Select(e => e.Gradient).OfType<DeprivationGradient>()],
            [.. list.Select(e => e.DataQuality).OfType<DataQualityFinding>()]);
    }
}
