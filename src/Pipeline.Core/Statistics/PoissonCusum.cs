namespace Pipeline.Core.Statistics;

/// <summary>
/// The Poisson CUSUM (Lucas 1985, "Counted data CUSUMs", Technometrics 27:129–144) in its log-likelihood-ratio form
/// (docs/detection.md, "Rare outcomes"): for counts x_t with expected values e_t under the reference rate, designed to detect a rate
/// <c>ratio</c> times the expected one,
/// <code>S_0 = 0,  S_t = max(0, S_{t−1} + x_t·ln(ratio) − (ratio − 1)·e_t),  signal when S_t ≥ h.</code>
/// Divided by ln(ratio) this is Lucas's counted-data CUSUM S_t = max(0, S_{t−1} + x_t − k) with reference value
/// k = (ratio − 1)·e / ln(ratio) and decision interval h / ln(ratio); <see cref="AverageRunLength"/> computes that form's
/// run length by the Markov chain of Brook &amp; Evans (1972, Biometrika 59:539–549).
/// </summary>
public static class PoissonCusum
{
    /// <summary>One month's update of the log-likelihood-ratio statistic.</summary>
    public static double Step(double previous, long count, double expected, double ratio) =>
        Math.Max(0, previous + (count * Math.Log(ratio)) - ((ratio - 1) * expected));

    /// <summary>The statistic after the last of <paramref name="months"/> (count, expected), starting from 0.</summary>
    public static double Statistic(IEnumerable<(long Count, double Expected)> months, double ratio)
    {
        ArgumentNullException.ThrowIfNull(months);
        var s = 0.0;
        foreach (var (count, expected) in months)
        {
            s = Step(s, count, expected, ratio);
        }

        return s;
    }

    /// <summary>
    /// Average run length from S = 0 of Lucas's counted-data CUSUM S_t = max(0, S_{t−1} + X_t − k), signal at S_t ≥ h,
    /// X_t ~ Poisson(<paramref name="mean"/>), by the Brook–Evans Markov chain: S is kept on a lattice of width
    /// 1 / <paramref name="cellsPerCount"/> (states 0, w, 2w, … below h), each step's value rounded to the nearest lattice
    /// point. When k and h are multiples of w the chain is exact (Lucas's integer designs with cellsPerCount = 1).
    /// </summary>
    public static double AverageRunLength(double k, double h, double mean, int cellsPerCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(h);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mean);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cellsPerCount);
        var w = 1.0 / cellsPerCount;
        var states = (int)Math.Ceiling((h / w) - 1e-9);
        if (states > 4000)
        {
            throw new ArgumentOutOfRangeException(
                nameof(cellsPerCount), $"{states} lattice states below h = {h}: use fewer cells per count.");
        }

        var maxCount = (int)Math.Ceiling(mean + k + h + (12 * Math.Sqrt(mean + 1)) + 20);
        var pmf = new double[maxCount + 1];
        for (var x = 0; x <= maxCount; x++)
        {
            pmf[x] = Math.Exp((x * Math.Log(mean)) - mean - GammaFunctions.LogGamma(x + 1));
        }

        // (I − P)·L = 1 over the transient states; P[i, j] = P(from S = i·w the next value rounds to j·w, below h).
        var a = new double[states, states + 1];
        for (var i = 0; i < states; i++)
        {
            a[i, i] += 1;
            a[i, states] = 1;
            for (var x = 0; x <= maxCount; x++)
            {
                var next = Math.Max(0, (i * w) + x - k);
                var j = (int)Math.Round(next / w, MidpointRounding.AwayFromZero);
                if (next >= h - 1e-12 || j >= states)
                {
                    break;
                }

                a[i, j] -= pmf[x];
            }
        }

        return Solve(a, states)[0];
    }

    /// <summary>
    /// The run length of the log-likelihood-ratio form at a constant expected count <paramref name="expected"/> per month
    /// when the true rate is <paramref name="trueRatio"/> × expected: Lucas's form with k = (ratio − 1)·e / ln ratio and
    /// decision interval h / ln ratio, on a lattice of <paramref name="cellsPerCount"/> cells per count.
    /// </summary>
    public static double LikelihoodRatioRunLength(double h, double expected, double ratio, double trueRatio = 1, int cellsPerCount = 20)
    {
        var ln = Math.Log(ratio);
        return AverageRunLength((ratio - 1) * expected / ln, h / ln, trueRatio * expected, cellsPerCount);
    }

    private static double[] Solve(double[,] a, int n)
    {
        for (var c = 0; c < n; c++)
        {
            var p = c;
            for (var r = c + 1; r < n; r++)
            {
                if (Math.Abs(a[r, c]) > Math.Abs(a[p, c]))
                {
                    p = r;
                }
            }

            if (p != c)
            {
                for (var k = 0; k <= n; k++)
                {
                    (a[c, k], a[p, k]) = (a[p, k], a[c, k]);
                }
            }

            for (var r = c + 1; r < n; r++)
            {
                var f = a[r, c] / a[c, c];
                if (f == 0)
                {
                    continue;
                }

                for (var k = c; k <= n; k++)
                {
                    a[r, k] -= f * a[c, k];
                }
            }
        }

        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = a[r, n];
            for (var k = r + 1; k < n; k++)
            {
                sum -= a[r, k] * x[k];
            }

            x[r] = sum / a[r, r];
        }

        return x;
    }
}
