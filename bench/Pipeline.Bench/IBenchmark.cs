namespace Pipeline.Bench;

/// <summary>
/// One measurement. Each runs in its own child process so its peak memory (VmHWM) is its own.
/// Add a benchmark by adding a class; the driver finds it by reflection.
/// </summary>
internal interface IBenchmark
{
    string Name { get; }

    string Description { get; }

    /// <summary>Runs the measurement in <paramref name="workDirectory"/> (a fresh temp folder) and returns its metrics.</summary>
    Task<IReadOnlyList<Metric>> RunAsync(string workDirectory, CancellationToken cancellationToken);
}

/// <param name="Target">The target as text (for example "≤ 150 ms"), or null when there is none.</param>
/// <param name="Met">Whether the target was met, or null when there is none.</param>
internal sealed record Metric(string Name, double Value, string Unit, string? Target = null, bool? Met = null);
