using System.Diagnostics;
using BenchmarkDotNet.Running;
using Pipeline.Bench.Micro;
using Pipeline.Core.Statistics;

// Usage: bash bench/micro.sh --evaluate [N]: N passes of EvaluateSeriesBenchmark (every series at every month of 36),
//        printing CPU µs per evaluation and per pass, and a checksum of every result (it must not change, #18).
//        bash bench/micro.sh [BenchmarkDotNet arguments], for example --filter '*Csv540*' (a short job).
//        bash bench/micro.sh --cpu [csv|json|csv-general] [N]: N validations in a loop, printing CPU time and bytes allocated
//        per file (csv-general: every row judged by NJsonSchema, without the fast row check);
//        CPU time is steadier than BenchmarkDotNet's wall-clock mean on a loaded machine, and the loop suits a profiler.
if (args is ["--evaluate", .. var passes])
{
    var evaluate = new EvaluateSeriesBenchmark();
    evaluate.Setup();
    var count = passes.Length > 0 ? int.Parse(passes[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
    Console.WriteLine($"checksum {evaluate.Checksum()}; {evaluate.Evaluations} evaluations a pass, {evaluate.Gradients} with a gradient");
    foreach (var (name, run) in new (string, Func<int>)[]
        {
            ("everything", evaluate.EvaluateEverySeriesAtEveryMonth), ("without gradients", evaluate.ComparisonsOnly),
            ("without gradients or SPC", evaluate.ComparisonsWithoutSpc),
        })
    {
        for (var i = 0; i < count; i++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            var comparisons = run();
            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
            Console.WriteLine($"{name}: {used / 1000:N0} ms CPU a pass, {used / evaluate.Evaluations:N1} µs per evaluation, " +
                $"{used / comparisons:N2} µs per comparison, " +
                $"{(GC.GetTotalAllocatedBytes(precise: true) - bytes) / evaluate.Evaluations:N0} bytes per evaluation");
        }
    }

    return;
}

if (args is ["--gradient", .. var times])
{
    // The gradient's parts alone (#18): the whole simulation, the draws, and the percentiles of the draws.
    var count = times.Length > 0 ? int.Parse(times[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
    var quintiles = Enumerable.Range(0, 5).Select(q => new SiiQuantile(400 + (q * 37), 0.12 - (q * 0.01), 0.015 + (q * 0.001))).ToList();
    var options = new SiiOptions(SiiValueType.Normal, false, -100, [Confidence.Warning, Confidence.Alarm]);
    var draws = SlopeIndexOfInequality.Compute(quintiles, options with { Confidence = [] }) is { } ? new double[10_000] : [];
    var rii = new double[10_000];
    var (z1s, z2s) = SeededNormals.Pairs(options.Seed, 10_000);
    var line = new SlopeIndexOfInequality.DrawnLine(0.05, 0.06, 0.01, 0.002, 0.01, -100);
    double[] tails = [0.025, 0.975, 0.001, 0.999];
    // As gradient-sii varies them: a different gradient each call, so no branch learns the draws.
    var varied = Enumerable.Range(0, 97).Select(i => Enumerable.Range(0, 5).Select(q => new SiiQuantile(
        400 + (q * 37) + i, 0.12 - (q * 0.01) + ((i % 13) * 0.001), 0.015 + (q * 0.001) + ((i % 7) * 0.0005))).ToList()).ToList();
    var call = 0;
    foreach (var (name, once) in new (string, Action)[]
    {
        ("SlopeIndexOfInequality.Compute, varied gradients", () => SlopeIndexOfInequality.Compute(varied[call++ % 97], options)),
        ("SlopeIndexOfInequality.Compute, one gradient", () => SlopeIndexOfInequality.Compute(quintiles, options)),
        ("draws (vectors)", () => SlopeIndexOfInequality.DrawUntransformedVectors(line, z1s, z2s, draws, rii)),
        ("draws (one at a time)", () => SlopeIndexOfInequality.DrawUntransformed(line, z1s, z2s, draws, rii, 0)),
        ("Type7Many of 10,000 draws", () => Percentile.Type7Many(draws, tails)),
    })
    {
        for (var pass = 0; pass < count; pass++)
        {
            SlopeIndexOfInequality.DrawUntransformed(line, z1s, z2s, draws, rii, 0);
            var n = 0;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            for (; n < 2000; n++)
            {
                once();
            }

            var used = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds;
            Console.WriteLine($"{name}: {used / n:N1} µs CPU, {(GC.GetTotalAllocatedBytes(precise: true) - bytes) / n:N0} bytes");
        }
    }

    return;
}

if (args is ["--cpu", .. var rest])
{
    var format = rest.Length > 0 ? rest[0] : "csv";
    var count = rest.Length > 1 ? int.Parse(rest[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
    var benchmark = new ValidateSubmissionBenchmark();
    benchmark.Setup();
    Func<Task> once = format switch
    {
        "json" => () => benchmark.Json540Rows(),
        "csv-general" => () => benchmark.Csv540RowsGeneralSchemaOnly(),
        _ => () => benchmark.Csv540Rows(),
    };
    for (var i = 0; i < Math.Min(200, count); i++)
    {
        await once();
    }

    var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
    var pause = GC.GetTotalPauseDuration();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var bytes = GC.GetTotalAllocatedBytes(precise: true);
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < count; i++)
    {
        await once();
    }

    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / count;
    var allocated = (GC.GetTotalAllocatedBytes(precise: true) - bytes) / count;
    Console.WriteLine($"{format}: {count} files, {cpuUs:N0} µs CPU per file (all threads, GC included), " +
        $"{watch.Elapsed.TotalMicroseconds / count:N0} µs wall, {allocated:N0} bytes allocated per file; " +
        $"GCs gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}, " +
        $"GC pauses {(GC.GetTotalPauseDuration() - pause).TotalMicroseconds / count:N0} µs per file");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ValidateSubmissionBenchmark).Assembly).Run(args);
