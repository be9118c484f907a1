using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using Pipeline.Core.Statistics;

namespace Pipeline.Core.Tests.Statistics;

/// <summary>PHE <c>phe_sii</c> cases: deterministic point estimates exactly, simulated limits within the package's 5%.</summary>
public class SlopeIndexReferenceTests
{
    public static TheoryData<string> SiiCases => ReferenceCases.Ids("phe_sii");

    [Theory]
    [MemberData(nameof(SiiCases))]
    public void Sii_rii_and_simulated_limits_match_the_published_case(string caseId)
    {
        var c = ReferenceCases.Get(caseId);
        var inputs = c.Inputs();
        var valueType = (SiiValueType)(int)inputs.Number("value_type");
        var transform = (bool)inputs["transform"]!;
        var usesLimits = (string)inputs["uncertainty_input"]! == "ci";
        var quantiles = inputs["quantile_rows"]!.AsArray().Select(r => r!.AsObject()).Select(r => new SiiQuantile(
            r.Number("population"),
            r.Number("value"),
            usesLimits
                ? SlopeIndexOfInequality.StandardErrorFromLimits(r.Number("lower_cl"), r.Number("upper_cl"), valueType, transform)
                : r.Number("se"))).ToList();
        var confidences = inputs.Confidences();
        var result = SlopeIndexOfInequality.Compute(
            quantiles,
            new SiiOptions(valueType, transform, inputs.Number("multiplier"), confidences, Draws: 10_000, Seed: 1))!;

        var expected = c.Expected();
        var tolerance = c.Tolerance();
        var points = tolerance["point_estimates"]!.AsObject();
        ReferenceCases.AssertClose(expected.Number("sii"), result.Sii, points, "sii");
        ReferenceCases.AssertClose(expected.Number("rii"), result.Rii, points, "rii");
        if (expected.OptionalNumber("intercept") is { } intercept)
        {
            ReferenceCases.AssertClose(intercept, result.Intercept, points, "intercept");
        }

        var limitsTolerance = tolerance["confidence_limits"]!.AsObject();
        foreach (var limits in result.Limits)
        {
            var suffix = ((int)Math.Round(limits.Confidence * 100)).ToString(CultureInfo.InvariantCulture);
            AssertLimit(expected, "sii_lower_" + suffix, limits.Sii.Lower, limitsTolerance);
            AssertLimit(expected, "sii_upper_" + suffix, limits.Sii.Upper, limitsTolerance);
            AssertLimit(expected, "rii_lower_" + suffix, limits.Rii.Lower, limitsTolerance);
            AssertLimit(expected, "rii_upper_" + suffix, limits.Rii.Upper, limitsTolerance);
        }
    }

    [Fact]
    public void Simulated_limits_are_identical_for_the_same_seed()
    {
        var quantiles = Enumerable.Range(1, 5).Select(q => new SiiQuantile(1000 + (q * 10), 0.1 - (q * 0.01), 0.01)).ToList();
        var first = SlopeIndexOfInequality.Compute(quantiles, new SiiOptions())!;
        var second = SlopeIndexOfInequality.Compute(quantiles, new SiiOptions())!;
        Assert.Equal(first.Limits[0], second.Limits[0]);
    }

    private static void AssertLimit(JsonObject expected, string name, double actual, JsonObject tolerance)
    {
        // Some cases publish only the point estimates; their limits are checked where the source printed them.
        if (expected.OptionalNumber(name) is { } value)
        {
            ReferenceCases.AssertClose(value, actual, tolerance, name);
        }
    }

    [Theory]
    [InlineData(1.0, 20_240_601UL)]
    [InlineData(-100.0, 20_240_601UL)]
    [InlineData(100.0, 7UL)]
    public void Simulated_limits_are_exactly_those_of_drawing_afresh_and_taking_each_percentile_alone(double multiplier, ulong seed)
    {
        // The kept normals and the tail selection (#18) must not move a last digit: the plain computation, drawn from a new
        // stream for every gradient and one full type-7 percentile per tail, is the reference. Several inputs in a row,
        // so the second and later gradients read the kept normals.
        var options = new SiiOptions(SiiValueType.Normal, false, multiplier, [Confidence.Warning, Confidence.Alarm], 10_000, seed);
        for (var i = 0; i < 4; i++)
        {
            var quantiles = Enumerable.Range(0, 5)
                .Select(q => new SiiQuantile(300 + (q * 41) + (i * 17), 0.15 - (q * 0.012) + (i * 0.003), 0.012 + (q * 0.002)))
                .ToList();
            var result = SlopeIndexOfInequality.Compute(quantiles, options)!;
            var plain = PlainLimits(quantiles, options);
            Assert.Equal(plain, result.Limits.SelectMany(l => new[] { l.Sii.Lower, l.Sii.Upper, l.Rii.Lower, l.Rii.Upper }));
        }
    }

    [Fact]
    public void Vector_draws_have_exactly_the_bits_of_drawing_one_repetition_at_a_time()
    {
        // The vectorised simulation (#18) against the scalar loop, bit for bit: any length (a remainder after the vectors),
        // both signs of the multiplier, and intercepts at or near zero whose ratios are huge, infinite or NaN.
        var coefficient = Gen.OneOf(Gen.Double[-2, 2], Gen.Double[-1e-300, 1e-300], Gen.Int[-1, 1].Select(i => (double)i));
        var line = Gen.Select(coefficient, coefficient, Gen.Double[0, 0.5], Gen.Double[-0.5, 0.5], Gen.Double[0, 0.5],
            Gen.OneOf(Gen.Double[-1000, 1000], Gen.Int[-1, 1].Select(i => i * 100.0)));
        var normals = Gen.OneOf(Gen.Double[-5, 5], Gen.Int[-2, 2].Select(i => (double)i)).Array[0, 41];
        Gen.Select(line, normals, Gen.Int[0, 1_000_000]).Sample((l, z1s, shift) =>
        {
            var drawn = new SlopeIndexOfInequality.DrawnLine(l.Item1, l.Item2, l.Item3, l.Item4, l.Item5, l.Item6);
            var z2s = z1s.Select((z, i) => z1s[(i + shift) % z1s.Length] * 0.7).ToArray();
            var (sii, rii) = (new double[z1s.Length], new double[z1s.Length]);
            var from = SlopeIndexOfInequality.DrawUntransformedVectors(drawn, z1s, z2s, sii, rii);
            SlopeIndexOfInequality.DrawUntransformed(drawn, z1s, z2s, sii, rii, from);
            var (plainSii, plainRii) = (new double[z1s.Length], new double[z1s.Length]);
            SlopeIndexOfInequality.DrawUntransformed(drawn, z1s, z2s, plainSii, plainRii, 0);
            Assert.Equal(plainSii.Select(BitConverter.DoubleToInt64Bits), sii.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(plainRii.Select(BitConverter.DoubleToInt64Bits), rii.Select(BitConverter.DoubleToInt64Bits));
        }, iter: 20_000);
    }

    [Fact]
    public void Simulated_limits_of_random_gradients_are_exactly_those_of_the_plain_computation()
    {
        // Vector draws and the vectorised tail pass (#18) over many gradients: 2 to 7 quantiles, any sign of multiplier,
        // draw counts that are not multiples of four, the levels detection asks for; bit for bit against PHE's loop.
        var quantile = Gen.Select(Gen.Int[20, 5_000], Gen.Double[0.001, 0.6], Gen.Double[0.001, 0.08])
            .Select((n, v, se) => new SiiQuantile(n, v, se));
        var multiplier = Gen.OneOf(Gen.Double[-1000, 1000], Gen.Int[-1, 1].Select(i => i * 100.0));
        double[] levels = [Confidence.Warning, Confidence.Alarm];
        Gen.Select(quantile.List[2, 7], multiplier, Gen.Int[1_000, 12_003], Gen.Int[0, 2].Select(i => (ulong)(20_240_601 + i)))
            .Sample((quantiles, m, draws, seed) =>
            {
                var options = new SiiOptions(SiiValueType.Normal, false, m, levels, draws, seed);
                var result = SlopeIndexOfInequality.Compute(quantiles, options)!;
                var plain = PlainLimits(quantiles, options);
                Assert.Equal(
                    plain.Select(BitConverter.DoubleToInt64Bits),
                    result.Limits.SelectMany(l => new[] { l.Sii.Lower, l.Sii.Upper, l.Rii.Lower, l.Rii.Upper })
                        .Select(BitConverter.DoubleToInt64Bits));
            },
            iter: 60);
    }

    /// <summary>PHE's loop written out: draw every quantile's value, refit, then R type 7 per tail on a sorted copy.</summary>
    private static double[] PlainLimits(List<SiiQuantile> quantiles, SiiOptions options)
    {
        var total = quantiles.Sum(q => q.Population);
        var a = quantiles.Select(q => q.Population / total).ToArray();
        var b = a.Select((w, i) => a.Take(i).Sum() + (w / 2)).ToArray();
        var meanB = a.Select((w, i) => w * b[i]).Sum();
        var sbb = a.Select((w, i) => w * (b[i] - meanB) * (b[i] - meanB)).Sum();
        var slope = a.Select((w, i) => w * (b[i] - meanB) / sbb).ToArray();
        var intercept = a.Select((w, i) => w - (meanB * slope[i])).ToArray();
        double Dot(double[] weights, double[] values) => weights.Select((w, i) => w * values[i]).Aggregate(0.0, (s, x) => s + x);
        var means = quantiles.Select(q => q.Value).ToArray();
        var (meanB0, meanB1) = (Dot(intercept, means), Dot(slope, means));
        var variances = quantiles.Select(q => q.StandardError * q.StandardError).ToArray();
        var v0 = intercept.Select((w, i) => w * w * variances[i]).Aggregate(0.0, (s, x) => s + x);
        var v1 = slope.Select((w, i) => w * w * variances[i]).Aggregate(0.0, (s, x) => s + x);
        var c01 = intercept.Select((w, i) => w * slope[i] * variances[i]).Aggregate(0.0, (s, x) => s + x);
        var l11 = Math.Sqrt(v0);
        var l21 = c01 / l11;
        var l22 = Math.Sqrt(Math.Max(0, v1 - (l21 * l21)));
        var random = new SeededRandom(options.Seed);
        var sii = new double[options.Draws];
        var rii = new double[options.Draws];
        for (var r = 0; r < options.Draws; r++)
        {
            var z1 = random.NextNormal();
            var z2 = random.NextNormal();
            var b0 = meanB0 + (l11 * z1);
            var b1 = meanB1 + (l21 * z1) + (l22 * z2);
            sii[r] = (b0 + b1 - b0) * options.Multiplier;
            var ratio = (b0 + b1) / b0;
            rii[r] = options.Multiplier < 0 ? 1 / ratio : ratio;
        }

        double Type7(double[] draws, double p)
        {
            var sorted = draws.Order().ToArray();
            var h = (sorted.Length - 1) * p;
            var low = (int)Math.Floor(h);
            return sorted[low] + ((h - low) * (sorted[low + 1] - sorted[low]));
        }

        return [.. options.Confidence!.SelectMany(c => new[]
        {
            Type7(sii, (1 - c) / 2), Type7(sii, 1 - ((1 - c) / 2)), Type7(rii, (1 - c) / 2), Type7(rii, 1 - ((1 - c) / 2)),
        })];
    }
}
