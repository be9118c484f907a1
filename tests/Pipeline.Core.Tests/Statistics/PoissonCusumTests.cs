using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>
/// The Poisson CUSUM and its Brook–Evans run length (docs/detection.md, "Rare outcomes"). Reference values: cases solved by hand from
/// the chain's definition, the attrCUSUM package's own test value for a Poisson CUSUM (SOURCES.md, S-CUSUM-1), and
/// a Monte Carlo run of the statistic itself for the non-lattice likelihood-ratio design the engine uses.
/// </summary>
public class PoissonCusumTests
{
    [Fact]
    public void Step_adds_the_log_ratio_per_event_less_the_expected_excess_and_never_goes_below_zero()
    {
        Assert.Equal((2 * Math.Log(2)) - 0.5, PoissonCusum.Step(0, 2, 0.5, 2), 12);
        Assert.Equal(0, PoissonCusum.Step(0.2, 0, 0.5, 2));
        Assert.Equal((3 * Math.Log(2)) - 1.0, PoissonCusum.Statistic([(0, 0.5), (2, 0.5), (1, 0.5)], 2), 12);
    }

    [Fact]
    public void Run_length_is_geometric_when_any_event_crosses_the_decision_interval()
    {
        // k = h = 0.5: no event keeps S at 0, any event reaches h, so ARL = 1 / P(X ≥ 1).
        Assert.Equal(1 / (1 - Math.Exp(-0.3)), PoissonCusum.AverageRunLength(0.5, 0.5, 0.3, cellsPerCount: 2), 9);
    }

    [Fact]
    public void Two_state_chain_matches_its_hand_solution()
    {
        // k = 1, h = 2: S ∈ {0, 1}. From 0: X ≤ 1 → 0, X = 2 → 1, X ≥ 3 signals. From 1: X = 0 → 0, X = 1 → 1, X ≥ 2 signals.
        // L0 = 1 + (p0 + p1)·L0 + p2·L1 and L1 = 1 + p0·L0 + p1·L1.
        var mu = 0.8;
        double P(int x) => Math.Exp(-mu) * Math.Pow(mu, x) / new[] { 1, 1, 2 }[x];
        var (p0, p1, p2) = (P(0), P(1), P(2));
        var l1Of = (1 - p1); // L1 = (1 + p0·L0) / (1 − p1)
        var l0 = (1 + (p2 / l1Of)) / (1 - p0 - p1 - (p2 * p0 / l1Of));

        Assert.Equal(l0, PoissonCusum.AverageRunLength(1, 2, mu), 9);
    }

    [Theory]
    [InlineData(4.0, 171.78, 2)]
    [InlineData(4.2, 99.3, 1)]
    public void Run_length_matches_the_attrcusum_reference_values(double mean, double expected, int digits)
    {
        // attrCUSUM (H. Kim, CRAN; tests/testthat/test_attrCUSUM_getAve_pois.R, "Results : getAve_pois"): ANSS = 171.78 for
        // Poisson(4) counts and 99.3 for Poisson(4.2), reference value 5, control limit 8, from 0: Lucas's CUSUM signalling
        // at S ≥ 8 (SOURCES.md S-CUSUM-1).
        Assert.Equal(expected, Math.Round(PoissonCusum.AverageRunLength(5, 8, mean), digits));
    }

    [Theory]
    [InlineData(0.0, 37.2, 1)]
    [InlineData(0.9627, 5.49, 2)]
    public void Run_length_matches_lucas_design_as_published_by_iacsspcr(double shiftInSds, double expected, int digits)
    {
        // IAcsSPCR (J. Lawson; R documentation of arl(), "ARL for Lucas's Cusum Chart for Attribute Data", citing Lucas
        // 1985): the documented example arl(h=6, k=2, lambda=1.88, shift=…) prints ARL = 37.2 in control and 5.49 for a
        // mean 0.9627 standard deviations higher (1.88 + 0.9627·√1.88 ≈ 3.2) (SOURCES.md S-CUSUM-2).
        var mean = 1.88 + (shiftInSds * Math.Sqrt(1.88));
        Assert.Equal(expected, Math.Round(PoissonCusum.AverageRunLength(2, 6, mean), digits));
    }

    [Theory]
    [InlineData(0.5, 3.0, 1.0)]
    [InlineData(0.5, 3.0, 2.0)]
    [InlineData(2.0, 4.0, 1.0)]
    public void Likelihood_ratio_run_length_agrees_with_simulating_the_statistic(double expected, double h, double trueRatio)
    {
        var random = new SeededRandom(19);
        const int runs = 20_000;
        double total = 0;
        for (var run = 0; run < runs; run++)
        {
            var s = 0.0;
            var t = 0;
            do
            {
                s = PoissonCusum.Step(s, Poisson(random, trueRatio * expected), expected, 2);
                t++;
            }
            while (s < h);
            total += t;
        }

        var simulated = total / runs;
        var chain = PoissonCusum.LikelihoodRatioRunLength(h, expected, 2, trueRatio, cellsPerCount: 50);
        Assert.InRange(chain / simulated, 0.97, 1.03);
    }

    [Fact]
    public void Doubling_the_rate_shortens_the_run_length()
    {
        var inControl = PoissonCusum.LikelihoodRatioRunLength(5, 0.5, 2);
        var doubled = PoissonCusum.LikelihoodRatioRunLength(5, 0.5, 2, trueRatio: 2);

        Assert.True(doubled < inControl / 5, $"ARL {doubled} at ratio 2 vs {inControl} in control");
    }

    private static long Poisson(SeededRandom random, double mean)
    {
        var limit = Math.Exp(-mean);
        long k = 0;
        var p = random.NextDouble();
        while (p > limit)
        {
            k++;
            p *= random.NextDouble();
        }

        return k;
    }
}

/// <summary>The most-powerful-test bound on detection (docs/detection.md, "The bound"), on values derived by hand.</summary>
public class DetectionBoundTests
{
    [Fact]
    public void Critical_count_and_power_follow_the_poisson_tails()
    {
        // Null mean 1: P(X ≥ 3) = 1 − e⁻¹(1 + 1 + 1/2) = 0.0803, P(X ≥ 4) = 1 − e⁻¹(1 + 1 + 1/2 + 1/6) = 0.0190.
        Assert.Equal(1 - (Math.Exp(-1) * (1 + 1 + 0.5 + (1.0 / 6))), DetectionBound.PoissonUpperTail(4, 1), 12);
        Assert.Equal(4, DetectionBound.CriticalCount(1, 0.021));
        Assert.Equal(3, DetectionBound.CriticalCount(1, 0.09));

        // At ratio 2 the mean is 2: P(X ≥ 4) = 1 − e⁻²(1 + 2 + 2 + 4/3) = 0.1429.
        Assert.Equal(1 - (Math.Exp(-2) * (1 + 2 + 2 + (4.0 / 3))), DetectionBound.Power(1.0 / 12, 12, 2, 0.021), 12);
    }

    [Fact]
    public void More_events_give_more_power()
    {
        Assert.True(DetectionBound.Power(5, 12, 2, 0.01) > DetectionBound.Power(0.5, 12, 2, 0.01));
        Assert.True(DetectionBound.Power(5, 12, 2, 0.01) > 0.99);
    }
}
