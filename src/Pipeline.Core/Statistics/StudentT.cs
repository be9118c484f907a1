namespace Pipeline.Core.Statistics;

/// <summary>Student's t distribution, through the regularised incomplete beta function.</summary>
/// <remarks>
/// I_x(a, b) by the continued fraction of <i>Numerical Recipes</i>, 3rd edition, §6.4 (<c>betai</c>/<c>betacf</c>, modified
/// Lentz), using the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly. The quantile is found by
/// bisection on the CDF to a relative width of 1e-15 (robust, and cheap enough for the few calls it serves).
/// </remarks>
public static class StudentT
{
    /// <summary>P(T ≤ t) with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        var x = degreesOfFreedom / (degreesOfFreedom + (t * t));
        var tail = 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x);
        return t >= 0 ? 1 - tail : tail;
    }

    /// <summary>The p-quantile of t with <paramref name="degreesOfFreedom"/> degrees of freedom.</summary>
    public static double Quantile(double p, double degreesOfFreedom)
    {
        if (!(p > 0 && p < 1) || !(degreesOfFreedom > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "Needs 0 < p < 1 and positive degrees of freedom.");
        }

        if (p < 0.5)
        {
            return -Quantile(1 - p, degreesOfFreedom);
        }

        double low = 0, high = 1;
        while (Cdf(high, degreesOfFreedom) < p)
        {
            high *= 2;
        }

        for (var i = 0; i < 200 && high - low > 1e-15 * high; i++)
        {
            var mid = 0.5 * (low + high);
            if (Cdf(mid, degreesOfFreedom) < p)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }
        }

        return 0.5 * (low + high);
    }

    /// <summary>I_x(a, b), the regularised incomplete beta function.</summary>
    public static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var logFront = GammaFunctions.LogGamma(a + b) - GammaFunctions.LogGamma(a) - GammaFunctions.LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(1 - x));
        return x < (a + 1) / (a + b + 2)
            ? Math.Exp(logFront) * ContinuedFraction(a, b, x) / a
            : 1 - (Math.Exp(logFront) * ContinuedFraction(b, a, 1 - x) / b);
    }

    private static double ContinuedFraction(double a, double b, double x)
    {
        const double Tiny = 1e-300;
        const double Eps = 1e-16;
        var qab = a + b;
        var qap = a + 1;
        var qam = a - 1;
        var c = 1.0;
        var d = 1 - (qab * x / qap);
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        var h = d;
        for (var m = 1; m < 10_000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + (aa * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (aa / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1) < Eps)
            {
                break;
            }
        }

        return h;
    }
}

/// <summary>PHE <c>phe_mean</c>: the mean with t-based limits, mean ± |t((1 − c)/2, n − 1)|·sd/√n (sd the sample SD).</summary>
public sealed record MeanWithLimits(double Value, int Count, double StandardDeviation, Interval Ci95, Interval Ci998)
{
    /// <summary>Null with fewer than two values (no sample SD).</summary>
    public static MeanWithLimits? Compute(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count < 2)
        {
            return null;
        }

        var mean = values.Average();
        var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        Interval Limits(double confidence)
        {
            var half = Math.Abs(StudentT.Quantile((1 - confidence) / 2, values.Count - 1)) * sd / Math.Sqrt(values.Count);
            return new Interval(mean - half, mean + half);
        }

        return new MeanWithLimits(mean, values.Count, sd, Limits(Confidence.Warning), Limits(Confidence.Alarm));
    }
}
