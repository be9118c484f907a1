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
    public async Task RecomputeAsync(StoreSession store, IReadOnlyCollection<WindowKey> windows, Period latest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        var organisations = windows.Select(w => (w.Level, w.OrganisationCode)).Distinct().ToList();
        var series = await store.Counts(reference).ReadAsync(organisations, latest, cancellationToken).ConfigureAwait(false);
        var rows = store.DetectionWriter(time.GetUtcNow());
        var full = windows.Distinct().ToList();
        var later = organisations
            .SelectMany(o => Months(windows.Where(w => (w.Level, w.OrganisationCode) == o).Max(w => w.PeriodEnd).AddMonths(1), latest)
                .Select(m => new WindowKey(o.Level, o.OrganisationCode, m)))
            .ToList();
        foreach (var window in full)
        {
            await rows.DeleteWindowAsync(window.Level, window.OrganisationCode, window.PeriodEnd, comparisonsOnly: false, cancellationToken).ConfigureAwait(false);
        }

        foreach (var window in later)
        {
            await rows.DeleteWindowAsync(window.Level, window.OrganisationCode, window.PeriodEnd, comparisonsOnly: true, cancellationToken).ConfigureAwait(false);
        }

        await rows.InsertAsync(Evaluate(series, full, withGradient: true), cancellationToken).ConfigureAwait(false);
        // Later months keep their gradients and findings (their pooled counts did not change): only comparisons are rewritten.
        await rows.InsertAsync(Evaluate(series, later, withGradient: false) with { Gradients = [], DataQuality = [] }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every window of one organisation's series ending in <paramref name="from"/> or later (a full recompute's batch).</summary>
    public DetectionResult EvaluateFrom(CountStore series, Level level, string organisationCode, Period from)
    {
        ArgumentNullException.ThrowIfNull(series);
        var months = series.SeriesFor(level, organisationCode).SelectMany(s => s.Months).Where(m => m >= from).Distinct();
        return Evaluate(series, [.. months.Select(m => new WindowKey(level, organisationCode, m))], withGradient: true);
    }

    private static IEnumerable<Period> Months(Period first, Period last)
    {
        for (var m = first; m <= last; m = m.AddMonths(1))
        {
            yield return m;
        }
    }

    // Series are independent and the engine is stateless (the gradient's simulation seeds itself), so they are evaluated in
    // parallel; the rows' order in the tables carries no meaning.
    private DetectionResult Evaluate(CountStore series, IReadOnlyList<WindowKey> windows, bool withGradient)
    {
        var list = windows
            .SelectMany(w => series.SeriesFor(w.Level, w.OrganisationCode).Where(s => s.HasMonth(w.PeriodEnd)).Select(s => (Series: s, w.PeriodEnd)))
            .AsParallel()
            .Select(x => engine.EvaluateSeries(x.Series, x.PeriodEnd, withGradient))
            .ToList();
        return new DetectionResult(
            [.. list.SelectMany(e => e.Comparisons)],
            [.. list.Select(e => e.Gradient).OfType<DeprivationGradient>()],
            [.. list.Select(e => e.DataQuality).OfType<DataQualityFinding>()]);
    }
}
