using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a run's first gradients would otherwise run unoptimised vectors
    private static double[]? FromTails(double[] values, IReadOnlyList<double> ps, int[] needed, int lowCount, int highCount)
    {
        var n = values.Length;
        var sample = Buffer(ref t_sample, SampleSize);
        for (var i = 0; i < SampleSize; i++)
        {
            sample[i] = values[(int)((long)i * n / SampleSize)];
        }

        var lowBarRank = Math.Min(SampleSize - 1, SampleRankCovering(lowCount, n));
        var highBarRank = Math.Max(0, SampleSize - 1 - SampleRankCovering(highCount, n));
        ReadOnlySpan<int> bars = lowBarRank < highBarRank ? [lowBarRank, highBarRank]
            : lowBarRank == highBarRank ? [lowBarRank] : [highBarRank, lowBarRank];
        PlaceRanks(sample, 0, SampleSize - 1, bars);
        var lowBar = sample[lowBarRank];
        var highBar = sample[highBarRank];
        if (!(lowBar < highBar))
        {
            return null; // the tails' bars meet (heavy ties) or a value is NaN: the caller's path decides
        }

        // At most this many beyond each bar, else the caller selects (a bar that short of a tail is a poor sample).
        var lowCapacity = (4 * lowCount) + 64;
        var highCapacity = (4 * highCount) + 64;
        var low = Buffer(ref t_low, lowCapacity);
        var high = Buffer(ref t_high, highCapacity);
        int lows = 0, highs = 0;
        var at = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Four values at a time: most groups of four lie wholly between the bars and cost two vector comparisons; any
            // other is taken one value at a time, in order, as below, so the tails are collected exactly as one by one (#18).
            var lowBars = Vector256.Create(lowBar);
            var highBars = Vector256.Create(highBar);
            for (; at + Vector256<double>.Count <= n; at += Vector256<double>.Count)
            {
                var x = Vector256.Create(values.AsSpan(at, Vector256<double>.Count));
                if ((Vector256.LessThanOrEqual(x, lowBars) | ~Vector256.LessThan(x, highBars)) == Vector256<double>.Zero)
                {
                    continue;
                }

                for (var j = at; j < at + Vector256<double>.Count; j++)
                {
                    if (!Collect(values[j], lowBar, highBar, low, lowCapacity, ref lows, high, highCapacity, ref highs))
                    {
                        return null;
                    }
                }
            }
        }

        for (; at < n; at++)
        {
            if (!Collect(values[at], lowBar, highBar, low, lowCapacity, ref lows, high, highCapacity, ref highs))
            {
                return null;
            }
        }

        if (lows < lowCount || highs < highCount)
        {
            return null;
        }

        // Only the needed ranks are put in place: a few selections on a few hundred values, no sort.
        var split = 0;
        while (split < needed.Length && needed[split] < lowCount)
        {
            split++;
        }

        PlaceRanks(low, 0, lows - 1, needed.AsSpan(0, split));
        Span<int> highRanks = stackalloc int[needed.Length - split];
        for (var k = split; k < needed.Length; k++)
        {
            highRanks[k - split] = highs - (n - needed[k]);
        }

        PlaceRanks(high, 0, highs - 1, highRanks);
        var result = new double[ps.Count];
        for (var k = 0; k < ps.Count; k++)
        {
            var h = (n - 1) * ps[k];
            var r = (int)Math.Floor(h);
            var atR = r < lowCount ? low[r] : high[highs - (n - r)];
            if (r + 1 >= n)
            {
                result[k] = atR;
                continue;
            }

            var atNext = r + 1 < lowCount ? low[r + 1] : high[highs - (n - (r + 1))];
            result[k] = atR + ((h - r) * (atNext - atR));
        }

        return result;
    }

    /// <summary>
    /// One value of <see cref="FromTails"/>' pass: kept below the low bar or at or above the high bar; false when a tail
    /// overflows its capacity or the value is NaN (it fails every comparison and is refused, so the caller's NaN path decides).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Collect(
        double x, double lowBar, double highBar, double[] low, int lowCapacity, ref int lows, double[] high, int highCapacity,
        ref int highs)
    {
        if (x <= lowBar)
        {
            if (lows == lowCapacity)
            {
                return false;
            }

            low[lows++] = x;
        }
        else if (!(x < highBar))
        {
            if (!(x >= highBar) || highs == highCapacity)
            {
                return false;
            }

            high[highs++] = x;
        }

        return true;
    }

    // The tails' and the sample's working arrays never leave FromTails (the percentiles are copied out): one set per thread.
    [ThreadStatic]
    private static double[]? t_low;

    [ThreadStatic]
    private static double[]? t_high;

    [ThreadStatic]
    private static double[]? t_sample;

    private static double[] Buffer(ref double[]? kept, int length) =>
        kept is { } array && array.Length >= length ? array : kept = new double[length];

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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
