using System.Globalization;
using Pipeline.Core.Detection;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Synthetic;

/// <summary>
/// Generates realistic monthly submissions with known truth: the real trust list and LMNS membership, each trust's
/// 2022-23 ethnic and IMD mix, deliveries/12 a month (Poisson), national baseline rates for every group, binomial noise,
/// and the planted divergences. Ethnicity and deprivation are drawn independently within a trust. Every submission meets
/// the contract: a total row per indicator, ethnic-category and IMD rows (deciles, or quintiles for a quarter of trusts)
/// summing exactly to it, unknowns (Z, 99, U) at small realistic shares. Deterministic for a seed: each trust × month ×
/// indicator draws from its own stream, so adding an indicator or a trust does not change the others.
/// </summary>
public sealed class SubmissionGenerator
{
    /// <summary>How each broad group splits into Data Dictionary codes (plausible England shares; assumed).</summary>
    private static readonly (string Code, string Group, double ShareOfGroup)[] EthnicSplit =
    [
        ("A", "White", 0.80), ("B", "White", 0.02), ("C", "White", 0.18),
        ("D", "Mixed", 0.25), ("E", "Mixed", 0.15), ("F", "Mixed", 0.25), ("G", "Mixed", 0.35),
        ("H", "Asian", 0.30), ("J", "Asian", 0.35), ("K", "Asian", 0.12), ("L", "Asian", 0.23),
        ("M", "Black", 0.15), ("N", "Black", 0.75), ("P", "Black", 0.10),
        ("R", "Other", 0.10), ("S", "Other", 0.90),
        ("Z", "NotStated", 1.0), ("99", "NotKnown", 1.0),
    ];

    private const int ImdCells = 11; // deciles 1–10 and U
    private readonly ReferenceData _reference;

    public SubmissionGenerator(ReferenceData reference) => _reference = reference ?? throw new ArgumentNullException(nameof(reference));

    /// <summary>Every trust × month of the scenario, in period then trust order.</summary>
    public IEnumerable<Submission> Generate(SyntheticScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var indicators = (scenario.IndicatorCodes ?? [.. _reference.Indicators.Select(i => i.Code)])
            .Select(code => _reference.FindIndicator(code) ?? throw new ArgumentException($"Indicator '{code}' is not in the catalogue.", nameof(scenario)))
            .ToList();
        var trustMix = new Dictionary<string, TrustMix>(StringComparer.Ordinal);
        for (var m = 0; m < scenario.Months; m++)
        {
            var period = scenario.Start.AddMonths(m);
            var trusts = scenario.TrustCodes?.Where(t => _reference.IsTrustActive(t, period))
                ?? _reference.TrustsActiveIn(period).Select(t => t.Code);
            foreach (var trust in trusts)
            {
                if (!trustMix.TryGetValue(trust, out var mix))
                {
                    mix = TrustMix.For(trust, _reference, scenario);
                    trustMix.Add(trust, mix);
                }

                yield return GenerateOne(scenario, indicators, mix, period);
            }
        }
    }

    private Submission GenerateOne(SyntheticScenario scenario, List<Indicator> indicators, TrustMix mix, Period period)
    {
        var monthSeed = SeededRandom.Derive(scenario.Seed, string.Create(CultureInfo.InvariantCulture, $"{mix.TrustCode}|{period}"));
        var births = Sampling.Poisson(new SeededRandom(monthSeed), mix.MonthlyDeliveries);
        var lmns = _reference.LmnsOf(mix.TrustCode, period);
        var measures = new List<Measure>();
        var cellProbabilities = mix.CellProbabilities;
        Span<long> cellDenominators = stackalloc long[cellProbabilities.Length];
        foreach (var indicator in indicators)
        {
            var random = new SeededRandom(SeededRandom.Derive(monthSeed, indicator.Code));
            var baseline = BaselineRates.For(indicator.Code);
            var denominator = baseline.DenominatorShare >= 1 ? births : Sampling.Binomial(random, births, baseline.DenominatorShare);
            Sampling.Multinomial(random, denominator, cellProbabilities, cellDenominators);

            var planted = scenario.Divergences
                .Where(d => d.IndicatorCode == indicator.Code && period >= d.Onset &&
                    ((d.Level == Level.Organisation && d.OrganisationCode == mix.TrustCode) || (d.Level == Level.Lmns && d.OrganisationCode == lmns)))
                .ToList();
            var ethnic = new (long N, long D)[EthnicSplit.Length];
            var imd = new (long N, long D)[ImdCells];
            for (var e = 0; e < EthnicSplit.Length; e++)
            {
                for (var i = 0; i < ImdCells; i++)
                {
                    var d = cellDenominators[(e * ImdCells) + i];
                    if (d == 0)
                    {
                        continue;
                    }

                    var rate = RateFor(baseline.Rate, indicator.Polarity, planted, EthnicSplit[e].Group, i);
                    var n = Sampling.Binomial(random, d, rate);
                    ethnic[e] = (ethnic[e].N + n, ethnic[e].D + d);
                    imd[i] = (imd[i].N + n, imd[i].D + d);
                }
            }

            measures.Add(new Measure(indicator.Code, Breakdown.Total, "all", ethnic.Sum(x => x.N), denominator));
            for (var e = 0; e < EthnicSplit.Length; e++)
            {
                if (ethnic[e].D > 0)
                {
                    measures.Add(new Measure(indicator.Code, Breakdown.EthnicCategory, EthnicSplit[e].Code, ethnic[e].N, ethnic[e].D));
                }
            }

            AddImdMeasures(measures, indicator.Code, imd, mix.ReportsQuintiles);
        }

        return new Submission("1.0", mix.TrustCode, period, null, measures);
    }

    private static void AddImdMeasures(List<Measure> measures, string indicator, (long N, long D)[] imd, bool quintiles)
    {
        if (quintiles)
        {
            for (var q = 0; q < 5; q++)
            {
                var (n, d) = (imd[2 * q].N + imd[(2 * q) + 1].N, imd[2 * q].D + imd[(2 * q) + 1].D);
                if (d > 0)
                {
                    measures.Add(new Measure(indicator, Breakdown.ImdQuintile, (q + 1).ToString(CultureInfo.InvariantCulture), n, d));
                }
            }
        }
        else
        {
            for (var i = 0; i < 10; i++)
            {
                if (imd[i].D > 0)
                {
                    measures.Add(new Measure(indicator, Breakdown.ImdDecile, (i + 1).ToString(CultureInfo.InvariantCulture), imd[i].N, imd[i].D));
                }
            }
        }

        if (imd[10].D > 0)
        {
            measures.Add(new Measure(indicator, quintiles ? Breakdown.ImdQuintile : Breakdown.ImdDecile, ImdGroups.Unassignable, imd[10].N, imd[10].D));
        }
    }

    /// <summary>The cell's rate: the baseline, made worse by any planted divergence that covers the cell's group.</summary>
    private static double RateFor(double baseline, Polarity polarity, List<PlantedDivergence> planted, string broadGroup, int imdCell)
    {
        var rate = baseline;
        foreach (var d in planted)
        {
            var covers = d.Breakdown == ComparisonBreakdown.EthnicGroup
                ? d.GroupCode == broadGroup
                : imdCell < 10 && d.GroupCode == ((imdCell / 2) + 1).ToString(CultureInfo.InvariantCulture);
            if (covers)
            {
                rate = polarity == Polarity.HigherIsBetter ? rate / d.Ratio : Math.Min(0.999, rate * d.Ratio);
            }
        }

        return rate;
    }

    /// <summary>A trust's fixed characteristics: size, cell probabilities (ethnic code × IMD decile), IMD reporting style.</summary>
    private sealed record TrustMix(string TrustCode, double MonthlyDeliveries, double[] CellProbabilities, bool ReportsQuintiles)
    {
        public static TrustMix For(string trustCode, ReferenceData reference, SyntheticScenario scenario)
        {
            var profile = TrustProfiles.For(trustCode);
            var annual = reference.FindTrust(trustCode)?.Deliveries2022To23 ?? profile.EthnicGroups.Values.Sum();
            var groupTotal = profile.EthnicGroups.Values.Sum();
            double Share(string group) => groupTotal > 0 ? profile.EthnicGroups.GetValueOrDefault(group) / groupTotal : 0;

            var notStated = Math.Min(Share("NotStated"), scenario.MaxNotStatedShare);
            var notKnown = Math.Min(Share("NotKnown"), scenario.MaxNotKnownShare);
            if (scenario.PoorEthnicityRecording.FirstOrDefault(p => p.TrustCode == trustCode) is { } poor)
            {
                notStated = poor.UnknownShare * 0.6;
                notKnown = poor.UnknownShare * 0.4;
            }

            var knownTotal = new[] { "White", "Mixed", "Asian", "Black", "Other" }.Sum(Share);
            var knownScale = knownTotal > 0 ? (1 - notStated - notKnown) / knownTotal : 0;
            var ethnic = EthnicSplit.Select(s => s.Group switch
            {
                "NotStated" => notStated,
                "NotKnown" => notKnown,
                _ => Share(s.Group) * knownScale * s.ShareOfGroup,
            }).ToArray();

            var decileTotal = profile.Deciles.Sum();
            var unassignable = decileTotal > 0 ? Math.Min(profile.Deciles[10] / decileTotal, scenario.MaxUnassignableShare) : 0;
            var assignedTotal = profile.Deciles.Take(10).Sum();
            var imd = Enumerable.Range(0, ImdCells)
                .Select(i => i == 10 ? unassignable : (assignedTotal > 0 ? profile.Deciles[i] / assignedTotal * (1 - unassignable) : (1 - unassignable) / 10))
                .ToArray();

            var cells = new double[ethnic.Length * ImdCells];
            for (var e = 0; e < ethnic.Length; e++)
            {
                for (var i = 0; i < ImdCells; i++)
                {
                    cells[(e * ImdCells) + i] = ethnic[e] * imd[i];
                }
            }

            var style = new SeededRandom(SeededRandom.Derive(scenario.Seed, trustCode + "|imd-style")).NextDouble();
            return new TrustMix(trustCode, Math.Max(1, annual) / 12.0, cells, style < scenario.ImdQuintileReporterShare);
        }
    }
}
