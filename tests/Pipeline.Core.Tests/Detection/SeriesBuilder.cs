using Pipeline.Core.Detection;
using Pipeline.Core.Model;

namespace Pipeline.Core.Tests.Detection;

/// <summary>Builds monthly broad-group counts for engine tests: each month the same counts per group unless overridden.</summary>
internal sealed class SeriesBuilder(string indicator, ComparisonBreakdown breakdown, Level level = Level.Organisation, string organisation = "R0A")
{
    private readonly List<GroupCount> _rows = [];

    public static readonly Period Start = new(2024, 1);

    public SeriesBuilder Months(int from, int count, params (string Group, long Numerator, long Denominator)[] groups)
    {
        for (var m = from; m < from + count; m++)
        {
            foreach (var (group, n, d) in groups)
            {
                _rows.Add(new GroupCount(Start.AddMonths(m), level, organisation, indicator, breakdown, group, n, d));
            }
        }

        return this;
    }

    public CountSeries Build() => CountStore.From(_rows).Series.Single();

    public static Period Month(int index) => Start.AddMonths(index);
}
