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
        // As detection runs them: one seed for every gradient (DetectionOptions.GradientSeed), inputs varying.
        var options = new SiiOptions(SiiValueType.Normal, Transform: false, Multiplier: 100, [Confidence.Warning, Confidence.Alarm]);
        static List<SiiQuantile> Quintiles(int i) => [.. Enumerable.Range(0, 5).Select(q => new SiiQuantile(
            Population: 400 + (q * 37) + (i % 97),
            Value: 0.12 - (q * 0.01) + ((i % 13) * 0.001),
            StandardError: 0.015 + (q * 0.001) + ((i % 7) * 0.0005)))];
        for (var i = 0; i < 200; i++)
        {
            _ = SlopeIndexOfInequality.Compute(Quintiles(i), options); // warm up
        }

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var results = new List<SiiResult>(Gradients);
        for (var i = 0; i < Gradients; i++)
        {
            results.Add(SlopeIndexOfInequality.Compute(Quintiles(i), options)!);
        }

        var wall = watch.Elapsed;
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return Task.FromResult<IReadOnlyList<Metric>>(
        [
            new("gradients", Gradients, "gradients"),
            new("per gradient (wall)", wall.TotalMilliseconds * 1000 / Gradients, "µs"),
            new("per gradient (CPU)", used.TotalMilliseconds * 1000 / Gradients, "µs"),
            new("a national month's gradients, one core", wall.TotalMilliseconds, "ms"),
            new("checksum of every limit's bits", Checksum(results), ""),
        ]);
    }

    /// <summary>FNV-1a over the exact bits of every limit, so a change in any last digit shows (limits must not change).</summary>
    private static double Checksum(IEnumerable<SiiResult> results)
    {
        var hash = 14_695_981_039_346_656_037UL;
        foreach (var limit in results.SelectMany(r => r.Limits))
        {
            foreach (var value in new[] { limit.Sii.Lower, limit.Sii.Upper, limit.Rii.Lower, limit.Rii.Upper })
            {
                hash = (hash ^ (ulong)BitConverter.DoubleToInt64Bits(value)) * 1_099_511_628_211UL;
            }
        }

        return hash % 1_000_000_000;
    }
}
