using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Bench;

// Usage: pipeline-bench [NAME...]   runs the named benchmarks (all when none), each in a child process, and prints a table.
//        pipeline-bench --list       lists them.
var benchmarks = typeof(IBenchmark).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IBenchmark).IsAssignableFrom(t))
    .Select(t => (IBenchmark)Activator.CreateInstance(t)!)
    .OrderBy(b => b.Name, StringComparer.Ordinal)
    .ToList();

if (args is ["--list"])
{
    foreach (var b in benchmarks)
    {
        Console.WriteLine($"{b.Name,-24} {b.Description}");
    }

    return 0;
}

if (args is ["--child", var childName])
{
    var benchmark = benchmarks.Single(b => b.Name == childName);
    var work = Directory.CreateTempSubdirectory($"pipeline-bench-{childName}-").FullName;
    try
    {
        var metrics = await benchmark.RunAsync(work, CancellationToken.None);
        var peakMb = PeakMemory.ReadMegabytes();
        Console.WriteLine("RESULT " + JsonSerializer.Serialize(metrics.Append(new Metric("peak memory", peakMb, "MB")).ToList()));
        return 0;
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }
}

var selected = args.Length == 0 ? benchmarks : benchmarks.Where(b => args.Contains(b.Name)).ToList();
if (selected.Count == 0)
{
    Console.Error.WriteLine($"No benchmark named {string.Join(", ", args)}. Try --list.");
    return 2;
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024 * 1024 * 1024.0):F0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
Console.WriteLine($"{"benchmark",-22} {"metric",-34} {"value",12} {"unit",-8} {"target",-12} met");
var failures = 0;
foreach (var b in selected)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!, ["--child", b.Name]) { RedirectStandardOutput = true };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) is "dotnet")
    {
        start = new ProcessStartInfo(Environment.ProcessPath!, [typeof(IBenchmark).Assembly.Location, "--child", b.Name]) { RedirectStandardOutput = true };
    }

    using var child = Process.Start(start)!;
    var output = await child.StandardOutput.ReadToEndAsync();
    await child.WaitForExitAsync();
    var line = output.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal));
    if (child.ExitCode != 0 || line is null)
    {
        Console.WriteLine($"{b.Name,-22} FAILED (exit {child.ExitCode})");
        failures++;
        continue;
    }

    foreach (var m in JsonSerializer.Deserialize<List<Metric>>(line["RESULT ".Length..])!)
    {
        var met = m.Met switch { true => "yes", false => "NO", null => "" };
        Console.WriteLine($"{b.Name,-22} {m.Name,-34} {m.Value.ToString("0.##", CultureInfo.InvariantCulture),12} {m.Unit,-8} {m.Target ?? "",-12} {met}");
    }
}

return failures == 0 ? 0 : 1;
