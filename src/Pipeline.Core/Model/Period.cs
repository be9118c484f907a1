using System.Globalization;

namespace Pipeline.Core.Model;

/// <summary>A reporting month (<c>yyyy-MM</c>), the unit every submission, window and alert is keyed on.</summary>
public readonly record struct Period(int Year, int Month) : IComparable<Period>
{
    public static Period FromDate(DateOnly date) => new(date.Year, date.Month);

    public static Period FromDateTimeOffset(DateTimeOffset instant) => new(instant.Year, instant.Month);

    /// <summary>Parses exactly <c>yyyy-MM</c> with a real month; anything else is not a period.</summary>
    public static bool TryParse(string? text, out Period period)
    {
        period = default;
        if (text is null || text.Length != 7 || text[4] != '-')
        {
            return false;
        }

        if (!int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ||
            !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month) ||
            year < 1900 || month is < 1 or > 12)
        {
            return false;
        }

        period = new Period(year, month);
        return true;
    }

    public static Period Parse(string text) =>
        TryParse(text, out var period) ? period : throw new FormatException($"'{text}' is not a reporting period (yyyy-MM).");

    public DateOnly FirstDay => new(Year, Month, 1);

    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);

    public Period AddMonths(int months)
    {
        var index = (Year * 12) + (Month - 1) + months;
        return new Period(index / 12, (index % 12) + 1);
    }

    /// <summary>Whole months from <paramref name="other"/> to this period (positive when this is later).</summary>
    public int MonthsSince(Period other) => ((Year - other.Year) * 12) + (Month - other.Month);

    public int CompareTo(Period other) => MonthsSince(other);

    public static bool operator <(Period left, Period right) => left.CompareTo(right) < 0;

    public static bool operator >(Period left, Period right) => left.CompareTo(right) > 0;

    public static bool operator <=(Period left, Period right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Period left, Period right) => left.CompareTo(right) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
