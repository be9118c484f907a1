using Pipeline.Core.Statistics;

namespace Pipeline.Core.Synthetic;

/// <summary>Count samplers for synthetic data.</summary>
internal static class Sampling
{
    /// <summary>
    /// Binomial(n, p): exact inversion (sequential search from 0) when the smaller tail's mean is below 30, a rounded
    /// normal with the binomial's mean and variance above (ample for synthetic noise, and O(1)).
    /// </summary>
    public static long Binomial(SeededRandom random, long n, double p)
    {
        if (n <= 0 || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return n;
        }

        if (p > 0.5)
        {
            return n - Binomial(random, n, 1 - p);
        }

        var mean = n * p;
        if (mean >= 30)
        {
            var x = Math.Round(mean + (Math.Sqrt(mean * (1 - p)) * random.NextNormal()));
            return (long)Math.Clamp(x, 0, n);
        }

        var q = 1 - p;
        var s = p / q;
        var a = (n + 1) * s;
        var probability = Math.Pow(q, n);
        var u = random.NextDouble();
        long k = 0;
        while (u > probability && k < n)
        {
            u -= probability;
            k++;
            probability *= (a / k) - s;
        }

        return k;
    }

    /// <summary>Poisson(mean) by the same approach: inversion below 30, rounded normal above.</summary>
    public static long Poisson(SeededRandom random, double mean)
    {
        if (mean >= 30)
        {
            return (long)Math.Max(0, Math.Round(mean + (Math.Sqrt(mean) * random.NextNormal())));
        }

        var probability = Math.Exp(-mean);
        var u = random.NextDouble();
        long k = 0;
        while (u > probability && k < 1000)
        {
            u -= probability;
            k++;
            probability *= mean / k;
        }

        return k;
    }

    /// <summary>Splits n over cells with the given probabilities (summing to 1) by sequential conditional binomials.</summary>
    public static void Multinomial(SeededRandom random, long n, ReadOnlySpan<double> probabilities, Span<long> counts)
    {
        var remaining = n;
        var mass = 1.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            if (i == probabilities.Length - 1)
            {
                counts[i] = remaining;
            }
            else if (remaining == 0 || probabilities[i] <= 0)
            {
                counts[i] = 0;
            }
            else
            {
                counts[i] = Binomial(random, remaining, mass <= probabilities[i] ? 1 : probabilities[i] / mass);
            }

            remaining -= counts[i];
            mass -= probabilities[i];
        }
    }
}
