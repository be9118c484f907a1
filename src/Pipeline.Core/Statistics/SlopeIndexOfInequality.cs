using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Pipeline.Core.Statistics;

/// <summary>PHE <c>phe_sii</c> value types: 0 normal (no transform), 1 rate (log), 2 proportion (logit).</summary>
public enum SiiValueType
{
    Normal = 0,
    Rate = 1,
    Proportion = 2,
}

/// <summary>One quantile (most deprived first): its population, value on the natural scale, and SE on the fitted scale.</summary>
public sealed record SiiQuantile(double Population, double Value, double StandardError);

/// <param name="Multiplier">SII is × multiplier; a negative multiplier flips SII's sign and inverts RII (PHE convention).</param>
/// <param name="Confidence">Levels to simulate limits for.</param>
/// <param name="Draws">Monte-Carlo repetitions (PHE default 100,000; at least 10,000 here).</param>
/// <param name="Seed">Fixed so a re-run gives the same limits.</param>
public sealed record SiiOptions(
    SiiValueType ValueType = SiiValueType.Normal,
    bool Transform = false,
    double Multiplier = 1,
    IReadOnlyList<double>? Confidence = null,
    int Draws = 10_000,
    ulong Seed = 20_240_601);

public sealed record SiiLimits(double Confidence, Interval Sii, Interval Rii);

/// <param name="Intercept">Fitted value at the most deprived end (b = 0), back-transformed.</param>
public sealed record SiiResult(double Sii, double Rii, double Intercept, IReadOnlyList<SiiLimits> Limits);

/// <summary>
/// Slope and relative index of inequality exactly as PHEindicatormethods <c>phe_sii</c> computes them (docs/statistics.md §3):
/// weighted least squares of the (optionally transformed) values on the cumulative population midpoints b_i with
/// weights a_i = n_i/Σn; SII = multiplier × (fitted(1) − fitted(0)); RII = fitted(1)/fitted(0), i.e. least deprived over
/// most deprived, back-transformed when a transform is used. Limits by simulation: each quantile's value is drawn from
/// N(value, SE) on the fitted scale, the line refitted, and the percentiles (R type 7) of the draws taken.
/// </summary>
public static class SlopeIndexOfInequality
{
    /// <summary>The SE PHE takes from a quantile's confidence limits, on the fitted scale: (g(upper) − g(lower))/(2·1.959964).</summary>
    public static double StandardErrorFromLimits(double lower, double upper, SiiValueType valueType, bool transform) =>
        (Forward(upper, valueType, transform) - Forward(lower, valueType, transform)) / (2 * 1.959964);

    /// <summary>Null when fewer than two quantiles have a population.</summary>
    public static SiiResult? Compute(IReadOnlyList<SiiQuantile> mostDeprivedFirst, SiiOptions options)
    {
        ArgumentNullException.ThrowIfNull(mostDeprivedFirst);
        ArgumentNullException.ThrowIfNull(options);
        var total = mostDeprivedFirst.Sum(q => q.Population);
        if (mostDeprivedFirst.Count < 2 || total <= 0 || mostDeprivedFirst.Any(q => q.Population <= 0))
        {
            return null;
        }

        var fit = LineFit.For(mostDeprivedFirst, total);
        var k = mostDeprivedFirst.Count;
        var means = new double[k];
        var ses = new double[k];
        for (var i = 0; i < k; i++)
        {
            means[i] = Forward(mostDeprivedFirst[i].Value, options.ValueType, options.Transform);
            ses[i] = mostDeprivedFirst[i].StandardError;
        }

        var (pointB0, pointB1) = fit.Coefficients(means);
        var (sii, rii, intercept) = Indices(pointB0, pointB1, options);
        var levels = options.Confidence ?? [Statistics.Confidence.Warning];
        if (levels.Count == 0 || options.Draws <= 0)
        {
            return new SiiResult(sii, rii, intercept, []);
        }

        // Each repetition refits the line to values drawn from N(value_i, SE_i²). The fit is linear in the values, so the
        // refitted (intercept, slope) pair is exactly bivariate normal with the mean and covariance below: drawing the pair
        // directly (Cholesky) has the same distribution as PHE's per-quantile draws at two normals per repetition.
        var (meanB0, meanB1) = fit.Coefficients(means);
        var (varB0, varB1, covB01) = fit.Covariance(ses);
        var l11 = Math.Sqrt(varB0);
        var l21 = l11 > 0 ? covB01 / l11 : 0;
        var l22 = Math.Sqrt(Math.Max(0, varB1 - (l21 * l21)));
        var siiDraws = Buffer(ref t_siiDraws, options.Draws);
        var riiDraws = Buffer(ref t_riiDraws, options.Draws);
        var untransformed = !options.Transform || options.ValueType == SiiValueType.Normal; // Backward is the identity
        if (untransformed)
        {
            var (z1s, z2s) = SeededNormals.Pairs(options.Seed, options.Draws);
            var line = new DrawnLine(meanB0, meanB1, l11, l21, l22, options.Multiplier);
            var from = Vector256.IsHardwareAccelerated ? DrawUntransformedVectors(line, z1s, z2s, siiDraws, riiDraws) : 0;
            DrawUntransformed(line, z1s, z2s, siiDraws, riiDraws, from);
        }
        else
        {
            var normals = SeededNormals.For(options.Seed, 2 * options.Draws);
            for (var r = 0; r < options.Draws; r++)
            {
                var z1 = normals[2 * r];
                var z2 = normals[(2 * r) + 1];
                var b0 = meanB0 + (l11 * z1);
                var b1 = meanB1 + (l21 * z1) + (l22 * z2);
                (siiDraws[r], riiDraws[r], _) = Indices(b0, b1, options);
            }
        }

        // Both tails of every level from one pass over each set of draws (the same order statistics as one Type7 per tail).
        var tails = levels.SelectMany(c => new[] { (1 - c) / 2, 1 - ((1 - c) / 2) }).ToList();
        var siiTails = Percentile.Type7Many(siiDraws, tails);
        var riiTails = Percentile.Type7Many(riiDraws, tails);
        var limits = levels.Select((c, i) => new SiiLimits(
            c,
            new Interval(siiTails[2 * i], siiTails[(2 * i) + 1]),
            new Interval(riiTails[2 * i], riiTails[(2 * i) + 1]))).ToList();
        return new SiiResult(sii, rii, intercept, limits);
    }

    /// <summary>The simulated line's mean coefficients, their Cholesky factor and the SII's multiplier.</summary>
    internal readonly record struct DrawnLine(double MeanB0, double MeanB1, double L11, double L21, double L22, double Multiplier);

    /// <summary>
    /// Repetitions from <paramref name="from"/> on, one at a time, without the back-transform (the detection's gradients):
    /// <see cref="Indices"/>' operations in the same order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DrawUntransformed(
        DrawnLine line, ReadOnlySpan<double> z1s, ReadOnlySpan<double> z2s, Span<double> sii, Span<double> rii, int from)
    {
        for (var r = from; r < sii.Length; r++)
        {
            var b0 = line.MeanB0 + (line.L11 * z1s[r]);
            var b1 = line.MeanB1 + (line.L21 * z1s[r]) + (line.L22 * z2s[r]);
            var leastDeprived = b0 + b1;
            sii[r] = (leastDeprived - b0) * line.Multiplier;
            var ratio = leastDeprived / b0;
            rii[r] = line.Multiplier < 0 ? 1 / ratio : ratio;
        }
    }

    /// <summary>
    /// <see cref="DrawUntransformed"/> four repetitions at a time (#18): the same IEEE additions, multiplications and
    /// divisions lane by lane, in the same order and never fused, so every draw has the same bits. Returns how many it drew.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // unoptimised vector code is many times slower than scalar
    internal static int DrawUntransformedVectors(
        DrawnLine line, ReadOnlySpan<double> z1s, ReadOnlySpan<double> z2s, Span<double> sii, Span<double> rii)
    {
        var (meanB0, meanB1) = (Vector256.Create(line.MeanB0), Vector256.Create(line.MeanB1));
        var (l11, l21, l22) = (Vector256.Create(line.L11), Vector256.Create(line.L21), Vector256.Create(line.L22));
        var multiplier = Vector256.Create(line.Multiplier);
        var invert = line.Multiplier < 0;
        var r = 0;
        for (; r + Vector256<double>.Count <= sii.Length; r += Vector256<double>.Count)
        {
            var z1 = Vector256.Create(z1s.Slice(r, Vector256<double>.Count));
            var z2 = Vector256.Create(z2s.Slice(r, Vector256<double>.Count));
            var b0 = meanB0 + (l11 * z1);
            var b1 = meanB1 + (l21 * z1) + (l22 * z2);
            var leastDeprived = b0 + b1;
            ((leastDeprived - b0) * multiplier).CopyTo(sii.Slice(r, Vector256<double>.Count));
            var ratio = leastDeprived / b0;
            (invert ? Vector256<double>.One / ratio : ratio).CopyTo(rii.Slice(r, Vector256<double>.Count));
        }

        return r;
    }

    // A national month evaluates thousands of gradients on every core; two fresh 80 kB arrays each kept the collector busy.
    // The draws never leave Compute (the percentiles are copied out), so each thread reuses its own pair.
    [ThreadStatic]
    private static double[]? t_siiDraws;

    [ThreadStatic]
    private static double[]? t_riiDraws;

    private static double[] Buffer(ref double[]? kept, int length) =>
        kept is { } array && array.Length == length ? array : kept = new double[length];

    private static (double Sii, double Rii, double Intercept) Indices(double b0, double b1, SiiOptions options)
    {
        var mostDeprived = Backward(b0, options.ValueType, options.Transform);
        var leastDeprived = Backward(b0 + b1, options.ValueType, options.Transform);
        var sii = (leastDeprived - mostDeprived) * options.Multiplier;
        var rii = leastDeprived / mostDeprived;
        return (sii, options.Multiplier < 0 ? 1 / rii : rii, mostDeprived);
    }

    private static double Forward(double value, SiiValueType type, bool transform) => (transform, type) switch
    {
        (true, SiiValueType.Rate) => Math.Log(value),
        (true, SiiValueType.Proportion) => Math.Log(value / (1 - value)),
        _ => value,
    };

    private static double Backward(double value, SiiValueType type, bool transform) => (transform, type) switch
    {
        (true, SiiValueType.Rate) => Math.Exp(value),
        (true, SiiValueType.Proportion) => 1 / (1 + Math.Exp(-value)),
        _ => value,
    };

    /// <summary>The WLS line is linear in the values, so its coefficients are fixed weights computed once per fit.</summary>
    private sealed class LineFit
    {
        private readonly double[] _interceptWeights;
        private readonly double[] _slopeWeights;

        private LineFit(double[] interceptWeights, double[] slopeWeights)
        {
            _interceptWeights = interceptWeights;
            _slopeWeights = slopeWeights;
        }

        public static LineFit For(IReadOnlyList<SiiQuantile> quantiles, double total)
        {
            var k = quantiles.Count;
            var a = new double[k];
            var b = new double[k];
            var cumulative = 0.0;
            for (var i = 0; i < k; i++)
            {
                a[i] = quantiles[i].Population / total;
                b[i] = cumulative + (a[i] / 2);
                cumulative += a[i];
            }

            var meanB = 0.0;
            for (var i = 0; i < k; i++)
            {
                meanB += a[i] * b[i];
            }

            var sbb = 0.0;
            for (var i = 0; i < k; i++)
            {
                sbb += a[i] * (b[i] - meanB) * (b[i] - meanB);
            }

            var slope = new double[k];
            var intercept = new double[k];
            for (var i = 0; i < k; i++)
            {
                slope[i] = a[i] * (b[i] - meanB) / sbb;
                intercept[i] = a[i] - (meanB * slope[i]);
            }

            return new LineFit(intercept, slope);
        }

        /// <summary>Var(β0), Var(β1), Cov(β0, β1) when value i has standard error se_i, independently.</summary>
        public (double VarIntercept, double VarSlope, double Covariance) Covariance(double[] ses)
        {
            double v0 = 0, v1 = 0, c = 0;
            for (var i = 0; i < ses.Length; i++)
            {
                var variance = ses[i] * ses[i];
                v0 += _interceptWeights[i] * _interceptWeights[i] * variance;
                v1 += _slopeWeights[i] * _slopeWeights[i] * variance;
                c += _interceptWeights[i] * _slopeWeights[i] * variance;
            }

            return (v0, v1, c);
        }

        public (double Intercept, double Slope) Coefficients(double[] values)
        {
            double b0 = 0, b1 = 0;
            for (var i = 0; i < values.Length; i++)
            {
                b0 += _interceptWeights[i] * values[i];
                b1 += _slopeWeights[i] * values[i];
            }

            return (b0, b1);
        }
    }
}
