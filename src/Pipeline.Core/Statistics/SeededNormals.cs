namespace Pipeline.Core.Statistics;

/// <summary>
/// The first standard normal draws of a seeded stream (<see cref="SeededRandom.NextNormal"/>), kept for the next caller.
/// Every deprivation gradient in a run simulates with the same seed and number of draws
/// (<c>DetectionOptions.GradientSeed</c>), so drawing them again for each of the thousands of gradients a national month
/// evaluates was most of the simulation's cost (#18). The numbers are the stream's own, so the limits are unchanged. Only
/// the last (seed, count) is kept: a caller varying the seed pays as before, and memory stays one stream.
/// </summary>
internal static class SeededNormals
{
    private static Drawn? _last;

    public static ReadOnlySpan<double> For(ulong seed, int count) => Get(seed, count).Values;

    /// <summary>
    /// The stream's first 2 × <paramref name="pairs"/> draws as pairs: draws 0, 2, 4, … in <c>First</c> and 1, 3, 5, … in
    /// <c>Second</c>, so a simulation taking two normals a repetition reads each as a contiguous run (vector loads).
    /// </summary>
    public static (double[] First, double[] Second) Pairs(ulong seed, int pairs)
    {
        var drawn = Get(seed, 2 * pairs);
        return (drawn.Even, drawn.Odd);
    }

    private static Drawn Get(ulong seed, int count)
    {
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Seed == seed && last.Values.Length == count)
        {
            return last;
        }

        var random = new SeededRandom(seed);
        var values = new double[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = random.NextNormal();
        }

        var even = new double[(count + 1) / 2];
        var odd = new double[count / 2];
        for (var i = 0; i < count; i++)
        {
            (i % 2 == 0 ? even : odd)[i / 2] = values[i];
        }

        var drawn = new Drawn(seed, values, even, odd);
        Volatile.Write(ref _last, drawn);
        return drawn;
    }

    private sealed record Drawn(ulong Seed, double[] Values, double[] Even, double[] Odd);
}
