using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Adapters.Store.Detection;

/// <summary>
/// <c>detection_count</c> rows of one organisation, flat: period, indicator and breakdown of each row, then its twelve counts.
/// </summary>
public sealed class OrganisationCounts
{
    internal OrganisationCounts(Level level, string code)
    {
        Level = level;
        Code = code;
    }

    public Level Level { get; }

    public string Code { get; }

    internal List<string> Keys { get; } = [];

    internal List<long> Values { get; } = [];

    /// <summary>Whether <paramref name="other"/> holds exactly these rows, in the same order (the read orders them by key).</summary>
    public bool SameRows(OrganisationCounts other) =>
        other is not null && other.Level == Level && other.Code == Code &&
        other.Keys.SequenceEqual(Keys, StringComparer.Ordinal) && other.Values.SequenceEqual(Values);

    /// <summary>The rows as the engine's group counts, added to <paramref name="counts"/>.</summary>
    public void AddTo(CountStore counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var periods = new Dictionary<string, Period>(StringComparer.Ordinal);
        for (var row = 0; row < Keys.Count / 3; row++)
        {
            var text = Keys[3 * row];
            if (!periods.TryGetValue(text, out var period))
            {
                period = Period.Parse(text);
                periods.Add(text, period);
            }

            var indicator = Keys[(3 * row) + 1];
            var breakdown = DetectionCounts.BreakdownOf(Keys[(3 * row) + 2]);
            var groups = breakdown == ComparisonBreakdown.EthnicGroup ? DetectionCounts.Ethnic : DetectionCounts.Imd;
            var at = row * DetectionCounts.CountColumns.Length;
            for (var g = 0; g < groups.Length; g++)
            {
                var (numerator, denominator) = (Values[at + g], Values[at + groups.Length + g]);
                counts.Add(new GroupCount(period, Level, Code, indicator, breakdown, groups[g], numerator, denominator));
            }
        }
    }

    /// <summary>The rows as a count store of their own.</summary>
    public CountStore ToCountStore()
    {
        var counts = new CountStore();
        AddTo(counts);
        return counts;
    }
}
