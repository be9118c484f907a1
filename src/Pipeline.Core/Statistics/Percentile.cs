namespace Pipeline.Core.Statistics;

/// <summary>Sample percentiles.</summary>
public static class Percentile
{
    /// <summary>
    /// R's default (type 7) percentile: h = (N − 1)p, interpolating between the order statistics around h. Uses
    /// selection rather than a full sort (it reorders <paramref name="values"/>), so many simulated limits stay cheap.
    /// </summary>
    public static double Type7(double[] values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("No values to take a percentile of.", nameof(values));
        }

        var h = (values.Length - 1) * p;
        var low = (int)Math.Floor(h);
        var lowValue = Select(values, 0, values.Length - 1, low);
        if (low + 1 >= values.Length)
        {
            return lowValue;
        }

        // After selecting position low, everything to its right is ≥ it; the next order statistic is their minimum.
        var next = double.PositiveInfinity;
        for (var i = low + 1; i < values.Length; i++)
        {
            next = Math.Min(next, values[i]);
        }

        return lowValue + ((h - low) * (next - lowValue));
    }

    /// <summary>
    /// <see cref="Type7"/> at every probability in <paramref name="ps"/>, the same values exactly (a type-7 percentile is two
    /// order statistics and a fixed interpolation), for the price of about two selections: the order statistics needed in
    /// the lower half are gathered by one selection and a sort of the few below it, those in the upper half likewise. For the
    /// tails a simulation's limits need (0.1%, 2.5%, 97.5%, 99.9% of 10,000 draws) the two ends are instead gathered
    /// beyond sampled bars in one pass (#18). May reorder <paramref name="values"/>.
    /// </summary>
    public static double[] Type7Many(double[] values, IReadOnlyList<double> ps)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(ps);
        var n = values.Length;
        if (n == 0)
        {
            throw new ArgumentException("No values to take a percentile of.", nameof(values));
        }

        var needed = Needed(ps, n);
        var half = n / 2;
        var lowMax = -1;
        var highMin = n;
        foreach (var k in needed)
        {
            (lowMax, highMin) = k < half ? (Math.Max(lowMax, k), highMin) : (lowMax, Math.Min(highMin, k));
        }

        if (n >= 2 * SampleSize && lowMax >= 0 && highMin < n && lowMax + 1 <= n / TailShare && n - highMin <= n / TailShare
            && FromTails(values, ps, needed, lowMax + 1, n - highMin) is { } tails)
        {
            return tails;
        }

        if (ContainsNaN(values))
        {
            // No total order: one Type7 per probability, each on the values as given (a selection's reordering depends on them).
            return [.. ps.Select(p => Type7([.. values], p))];
        }

        if (lowMax >= 0)
        {
            _ = Select(values, 0, n - 1, lowMax);
            Array.Sort(values, 0, lowMax + 1);
        }

        if (highMin < n)
        {
            _ = Select(values, lowMax + 1, n - 1, highMin);
            Array.Sort(values, highMin, n - highMin);
        }

        var result = new double[ps.Count];
        for (var i = 0; i < ps.Count; i++)
        {
            var h = (n - 1) * ps[i];
            var low = (int)Math.Floor(h);
            result[i] = low + 1 >= n ? values[low] : values[low] + ((h - low) * (values[low + 1] - values[low]));
        }

        return result;
    }

    /// <summary>The tail path applies when every order statistic needed lies in the lowest or highest 1/TailShare.</summary>
    private const int TailShare = 16;

    /// <summary>A strided sample of this many values places the bars; below twice this the selections are as cheap.</summary>
    private const int SampleSize = 512;

    /// <summary>
    /// Simulated limits need only the few hundred smallest and largest of thousands of draws. A sorted sample of the draws
    /// gives a bar that, with near certainty, lies above the largest of the smallest needed (and one below the smallest of
    /// the largest); one pass collects the values beyond the bars and only those are sorted. When at least the needed count
    /// lies at or beyond a bar, the needed order statistics are all among them, so the numbers are exactly those of a full
    /// sort; in the rare case a bar falls short the caller selects as before. About a fifth of the work of two selections.
    /// </summary>
    private static double[]? FromTails(double[] values, IReadOnlyList<double> ps, int[] needed, int lowCount, int highCount)
    {
        var n = values.Length;
        var sample = new double[SampleSize];
        for (var i = 0; i < SampleSize; i++)
        {
            sample[i] = values[(int)((long)i * n / SampleSize)];
        }

        var lowBarRank = Math.Min(SampleSize - 1, SampleRankCovering(lowCount, n));
        var highBarRank = Math.Max(0, SampleSize - 1 - SampleRankCovering(highCount, n));
        PlaceRanks(sample, 0, SampleSize - 1, [.. new[] { lowBarRank, highBarRank }.Distinct().Order()]);
        var lowBar = sample[lowBarRank];
        var highBar = sample[highBarRank];
        if (!(lowBar < highBar))
        {
            return null; // the tails' bars meet (heavy ties) or a value is NaN: the caller's path decides
        }

        var low = new double[(4 * lowCount) + 64];
        var high = new double[(4 * highCount) + 64];
        int lows = 0, highs = 0;
        foreach (var x in values)
        {
            // Most values fall between the bars and cost two comparisons. A NaN fails every comparison and ends up in the
            // second branch, where it is refused, so the caller's NaN path handles it.
            if (x <= lowBar)
            {
                if (lows == low.Length)
                {
                    return null;
                }

                low[lows++] = x;
            }
            else if (!(x < highBar))
            {
                if (!(x >= highBar) || highs == high.Length)
                {
                    return null;
                }

                high[highs++] = x;
            }
        }

        if (lows < lowCount || highs < highCount)
        {
            return null;
        }

        // Only the needed ranks are put in place: a few selections on a few hundred values, no sort.
        PlaceRanks(low, 0, lows - 1, [.. needed.Where(r => r < lowCount)]);
        PlaceRanks(high, 0, highs - 1, [.. needed.Where(r => r >= lowCount).Select(r => highs - (n - r))]);
        double At(int rank) => rank < lowCount ? low[rank] : high[highs - (n - rank)];
        var result = new double[ps.Count];
        for (var i = 0; i < ps.Count; i++)
        {
            var h = (n - 1) * ps[i];
            var r = (int)Math.Floor(h);
            result[i] = r + 1 >= n ? At(r) : At(r) + ((h - r) * (At(r + 1) - At(r)));
        }

        return result;
    }

    /// <summary>The order statistics a type-7 percentile at each probability interpolates between, ascending and distinct.</summary>
    private static int[] Needed(IReadOnlyList<double> ps, int n)
    {
        var ranks = new int[2 * ps.Count];
        for (var i = 0; i < ps.Count; i++)
        {
            var low = (int)Math.Floor((n - 1) * ps[i]);
            ranks[2 * i] = low;
            ranks[(2 * i) + 1] = Math.Min(low + 1, n - 1);
        }

        Array.Sort(ranks);
        var distinct = 0;
        for (var i = 0; i < ranks.Length; i++)
        {
            if (i == 0 || ranks[i] != ranks[distinct - 1])
            {
                ranks[distinct++] = ranks[i];
            }
        }

        return ranks[..distinct];
    }

    /// <summary>
    /// Puts the k-th smallest of a[from..to] at index k for every k in <paramref name="ranks"/> (ascending): select the
    /// middle rank, then the ranks below it among the values below it and those above among those above.
    /// </summary>
    private static void PlaceRanks(double[] a, int from, int to, ReadOnlySpan<int> ranks)
    {
        if (ranks.IsEmpty || from > to)
        {
            return;
        }

        var middle = ranks.Length / 2;
        var k = ranks[middle];
        _ = Select(a, from, to, k);
        PlaceRanks(a, from, k - 1, ranks[..middle]);
        PlaceRanks(a, k + 1, to, ranks[(middle + 1)..]);
    }

    private static bool ContainsNaN(double[] values)
    {
        foreach (var x in values)
        {
            if (double.IsNaN(x))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The sample rank whose value has, with near certainty, at least <paramref name="count"/> of n at or beyond it.</summary>
    private static int SampleRankCovering(int count, int n)
    {
        var expected = (double)count * SampleSize / n;
        return (int)Math.Ceiling(expected + (4 * Math.Sqrt(expected)) + 2);
    }

    private static double Select(double[] a, int left, int right, int k)
    {
        while (right > left)
        {
            var mid = left + ((right - left) / 2);
            var pivot = Median(a[left], a[mid], a[right]);
            var i = left;
            var j = right;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (a[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }

    private static double Median(double x, double y, double z) => Math.Max(Math.Min(x, y), Math.Min(Math.Max(x, y), z));
}
