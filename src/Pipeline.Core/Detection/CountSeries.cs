using Pipeline.Core.Model;

namespace Pipeline.Core.Detection;

/// <summary>The monthly broad-group counts of one series (level × organisation × indicator × breakdown).</summary>
public sealed class CountSeries
{
    private readonly SortedList<Period, long[]> _months = [];

    public CountSeries(SeriesKey key)
    {
        Key = key;
        Groups = ComparisonGroups.All(key.Breakdown);
    }

    public SeriesKey Key { get; }

    /// <summary>Every group code of the breakdown, unknown bucket last.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>The months with data (an accepted submission contributed), in order.</summary>
    public IList<Period> Months => _months.Keys;

    public bool HasMonth(Period period) => _months.ContainsKey(period);

    /// <summary>The position of <paramref name="period"/> in <see cref="Months"/>, or −1 when it has no data.</summary>
    public int MonthIndex(Period period) => _months.IndexOfKey(period);

    /// <summary>The counts of a group in the month at <paramref name="index"/> of <see cref="Months"/>.</summary>
    public (long Numerator, long Denominator) MonthAt(int index, string groupCode)
    {
        var counts = _months.Values[index];
        var group = IndexOf(groupCode);
        return (counts[group], counts[Groups.Count + group]);
    }

    /// <summary>
    /// The month at <paramref name="index"/> of <see cref="Months"/>: numerators by group (<see cref="IndexOf"/>), then
    /// denominators. Not to be changed: it is the series' own.
    /// </summary>
    internal long[] CountsAt(int index) => _months.Values[index];

    /// <summary>Adds counts for a group in a month (adding to what is there, so trust rows can be summed).</summary>
    public void Add(Period period, string groupCode, long numerator, long denominator)
    {
        var index = IndexOf(groupCode);
        if (!_months.TryGetValue(period, out var counts))
        {
            counts = new long[Groups.Count * 2];
            _months.Add(period, counts);
        }

        counts[index] += numerator;
        counts[Groups.Count + index] += denominator;
    }

    /// <summary>One month's counts for a group, or null when the month has no data.</summary>
    public (long Numerator, long Denominator)? Month(Period period, string groupCode)
    {
        if (!_months.TryGetValue(period, out var counts))
        {
            return null;
        }

        var index = IndexOf(groupCode);
        return (counts[index], counts[Groups.Count + index]);
    }

    /// <summary>Sums over the months with data in the <paramref name="windowMonths"/> months ending at <paramref name="periodEnd"/>.</summary>
    public WindowCounts Window(Period periodEnd, int windowMonths)
    {
        var sums = new long[Groups.Count * 2];
        var present = 0;
        var start = periodEnd.AddMonths(-(windowMonths - 1));
        for (var period = start; period <= periodEnd; period = period.AddMonths(1))
        {
            if (_months.TryGetValue(period, out var counts))
            {
                present++;
                for (var i = 0; i < sums.Length; i++)
                {
                    sums[i] += counts[i];
                }
            }
        }

        return new WindowCounts(this, periodEnd, windowMonths, present, sums);
    }

    internal int IndexOf(string groupCode)
    {
        for (var i = 0; i < Groups.Count; i++)
        {
            if (string.Equals(Groups[i], groupCode, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new ArgumentException($"'{groupCode}' is not a group of breakdown {Key.Breakdown.ToWire()} (expected one of {string.Join(", ", Groups)}).", nameof(groupCode));
    }
}

/// <summary>A series' pooled counts over one window.</summary>
public sealed class WindowCounts
{
    private readonly CountSeries _series;
    private readonly long[] _sums;

    internal WindowCounts(CountSeries series, Period periodEnd, int windowMonths, int monthsPresent, long[] sums)
    {
        _series = series;
        _sums = sums;
        PeriodEnd = periodEnd;
        WindowMonths = windowMonths;
        MonthsPresent = monthsPresent;
    }

    public Period PeriodEnd { get; }

    public int WindowMonths { get; }

    public int MonthsPresent { get; }

    public long TotalDenominator => _sums.Skip(_series.Groups.Count).Sum();

    public (long Numerator, long Denominator) this[string groupCode]
    {
        get
        {
            var index = _series.IndexOf(groupCode);
            return (_sums[index], _sums[_series.Groups.Count + index]);
        }
    }
}
