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
