using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;

namespace Pipeline.Bench.Micro;

/// <summary>
/// <see cref="DivergenceEngine.EvaluateSeries"/> as a 36-month backfill runs it (#18): every series of a few organisations,
/// by ethnic group and by IMD quintile for every indicator, evaluated at each of its 36 months (SPC on every comparison, a
/// gradient for every IMD series). Seeded counts, so <see cref="Checksum"/> pins every result's exact text.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class EvaluateSeriesBenchmark
{
    private const int MonthsOfHistory = 36;
    private static readonly Period Start = new(2023, 11);

    private DivergenceEngine _engine = null!;
    private DivergenceEngine _withoutSpc = null!;
    private List<CountSeries> _series = [];

    public int Evaluations => _series.Count * MonthsOfHistory;

    public int Gradients => _series.Count(s => s.Key.Breakdown == ComparisonBreakdown.ImdQuintile) * MonthsOfHistory;

    [GlobalSetup]
    public void Setup()
    {
        var reference = ReferenceData.Embedded;
        _engine = new DivergenceEngine(reference);
        _withoutSpc = new DivergenceEngine(reference, new DetectionOptions { SpcWatch = false });
        var random = new SeededRandom(18);
        var rows = new List<GroupCount>();
        foreach (var organisation in new[] { "R0A", "R1F" })
        {
            foreach (var indicator in reference.Indicators)
            {
                foreach (var breakdown in new[] { ComparisonBreakdown.EthnicGroup, ComparisonBreakdown.ImdQuintile })
                {
                    var rate = 0.01 + (0.3 * random.NextDouble());
                    foreach (var group in ComparisonGroups.All(breakdown))
                    {
                        var size = 40 + random.NextInt(900);
                        var groupRate = rate * (0.6 + random.NextDouble());
                        for (var m = 0; m < MonthsOfHistory; m++)
                        {
                            var n = size + random.NextInt(size / 4 + 1);
                            var events = (long)Math.Round(n * groupRate * (0.5 + random.NextDouble()));
                            rows.Add(new GroupCount(Start.AddMonths(m), Level.Organisation, organisation, indicator.Code, breakdown, group,
                                Math.Min(events, n), n));
                        }
                    }
                }
            }
        }

        _series = [.. CountStore.From(rows).Series];
    }

    /// <summary>Every series at every month of its history.</summary>
    [Benchmark]
    public int EvaluateEverySeriesAtEveryMonth()
    {
        var count = 0;
        foreach (var series in _series)
        {
            for (var m = 0; m < MonthsOfHistory; m++)
            {
                count += _engine.EvaluateSeries(series, Start.AddMonths(m)).Comparisons.Count;
            }
        }

        return count;
    }

    /// <summary>The comparisons alone (SPC included), as a later period's re-evaluation without the gradient runs them.</summary>
    [Benchmark]
    public int ComparisonsOnly()
    {
        var count = 0;
        foreach (var series in _series)
        {
            for (var m = 0; m < MonthsOfHistory; m++)
            {
                count += _engine.EvaluateSeries(series, Start.AddMonths(m), withGradient: false).Comparisons.Count;
            }
        }

        return count;
    }

    /// <summary>The comparisons without the SPC check: the difference from <see cref="ComparisonsOnly"/> is SPC's cost.</summary>
    [Benchmark]
    public int ComparisonsWithoutSpc()
    {
        var count = 0;
        foreach (var series in _series)
        {
            for (var m = 0; m < MonthsOfHistory; m++)
            {
                count += _withoutSpc.EvaluateSeries(series, Start.AddMonths(m), withGradient: false).Comparisons.Count;
            }
        }

        return count;
    }

    /// <summary>FNV-1a over the text of every result (records print doubles round-trippably), to show results unchanged.</summary>
    public ulong Checksum()
    {
        var hash = 14_695_981_039_346_656_037UL;
        foreach (var series in _series)
        {
            for (var m = 0; m < MonthsOfHistory; m++)
            {
                var e = _engine.EvaluateSeries(series, Start.AddMonths(m));
                var text = new StringBuilder();
                foreach (var c in e.Comparisons)
                {
                    text.Append(c).Append(c.Detectable).Append(c.Cusum?.ToString("R", CultureInfo.InvariantCulture));
                }

                text.Append(e.Gradient).Append(e.Gradient?.RiiCiLower998?.ToString("R", CultureInfo.InvariantCulture))
                    .Append(e.Gradient?.RiiCiUpper998?.ToString("R", CultureInfo.InvariantCulture)).Append(e.DataQuality);
                foreach (var ch in text.ToString())
                {
                    hash = (hash ^ ch) * 1_099_511_628_211UL;
                }
            }
        }

        return hash;
    }
}
