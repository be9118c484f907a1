namespace Pipeline.Core.Statistics;

/// <summary>
/// The first standard normal draws of a seeded stream (<see cref="SeededRandom.NextNormal"/>), kept for the next caller.
/// Every deprivation gradient in a run simulates with the same seed and number of draws
/// (<c>DetectionOptions.GradientSeed</c>), so drawing them again for each of the thousands of gradients a national month
/// evaluates was most of the simulation's cost (#18). The numbers are the stream's own, so the limits are unchanged. Only
/// the last (seed, count) is kept: a caller varying the seed pays as before, and memory stays one array.
/// </summary>
internal static class SeededNormals
{
    private static Drawn? _last;

    public static ReadOnlySpan<double> For(ulong seed, int count)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Seed == seed && last.Values.Length == count)
        {
            return last.Values;
        }

        var random = new SeededRandom(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextNormal();
        }

        Volatile.Write(ref _last, new Drawn(seed, values));
        return values;
    }

    private sealed record Drawn(ulong Seed, double[] Values);
}
