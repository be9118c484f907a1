using System.Diagnostics;
using Pipeline.Core.Statistics;

namespace Pipeline.Bench;

/// <summary>
/// The deprivation gradient's simulation (slope index of inequality, 10,000 draws, limits at the warning and alarm levels),
/// alone: a national month's batch evaluates about 2,900 of them (163 organisations × 18 indicators), which is most of the
/// batch transaction's CPU (docs/performance.md).
/// </summary>
internal sealed class GradientBenchmark : IBenchmark
{
    private const int Gradients = 2_900;

    public string Name => "gradient-sii";

    public string Description => "Slope index of inequality with 10,000 simulated draws: µs per gradient, ms per national month";

    public Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var options = new SiiOptions(SiiValueType.Normal, Transform: false, Multiplier: 100, [Confidence.Warning, Confidence.Alarm]);
        var quintiles = Enumerable.Range(0, 5)
            .Select(q => new SiiQuantile(Population: 400 + (q * 37), Value: 0.12 - (q * 0.01), StandardError: 0.015 + (q * 0.001)))
            .ToList();
        for (var i = 0; i < 200; i++)
        {
            _ = SlopeIndexOfInequality.Compute(quintiles, options); // warm up
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var sum = 0.0;
        for (var i = 0; i < Gradients; i++)
        {
            sum += SlopeIndexOfInequality.Compute(quintiles, options with { Seed = (ulong)i })!.Limits[0].Sii.Lower;
        }

        var wall = watch.Elapsed;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return Task.FromResult<IReadOnlyList<Metric>>(
        [
            new("gradients", Gradients, "gradients"),
            new("per gradient (wall)", wall.TotalMilliseconds * 1000 / Gradients, "µs"),
            new("per gradient (CPU)", used.TotalMilliseconds * 1000 / Gradients, "µs"),
            new("a national month's gradients, one core", wall.TotalMilliseconds, "ms"),
            new("checksum", Math.Round(sum, 6), ""),
        ]);
    }
}
