using System.Diagnostics;
using Pipeline.Core.Reference;

namespace Pipeline.Bench;

/// <summary>Start-up cost every host pays: parsing the embedded reference data.</summary>
internal sealed class ReferenceLoadBenchmark : IBenchmark
{
    public string Name => "reference-load";

    public string Description => "Parse the embedded reference data (indicators, codes, organisations)";

    public Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var reference = ReferenceDataLoader.LoadEmbedded();
        watch.Stop();
        IReadOnlyList<Metric> metrics = [new("load time", watch.Elapsed.TotalMilliseconds, "ms"), new("trusts", reference.Trusts.Count, "rows")];
        return Task.FromResult(metrics);
    }
}
