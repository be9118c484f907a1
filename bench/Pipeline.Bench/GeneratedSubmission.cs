using System.Collections;
using System.Globalization;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Bench;

/// <summary>
/// A valid submission of any size, generated on the fly (no list held in memory, so peak memory is the validator's).
/// The contract allows one row per indicator, breakdown and group, so large files need many indicators: each generated
/// indicator has 25 rows (total, 18 ethnic categories, quintiles 1–5 and U) that add up exactly, with unknowns under 10%.
/// </summary>
internal static class GeneratedSubmission
{
    public const int RowsPerIndicator = 25;

    public static Submission Create(int indicators) =>
        new("1.0", "R0A", new Period(2026, 10), "bench@nhs.net", new Rows(indicators));

    /// <summary>The embedded reference data plus the generated indicator codes.</summary>
    public static ReferenceData Reference(int indicators)
    {
        var e = ReferenceData.Embedded;
        var extra = Enumerable.Range(0, indicators).Select(i =>
            new Indicator(Code(i), "Generated " + Code(i), 1000, Polarity.HigherIsWorse, 12, false, "n", "d", "bench"));
        return new ReferenceData(e.Indicators.Concat(extra), e.EthnicCategories, e.Deciles, e.Regions, e.LmnsList, e.Trusts, e.Memberships);
    }

    private static string Code(int i) => "bench_" + i.ToString("D6", CultureInfo.InvariantCulture);

    private sealed class Rows(int indicators) : IReadOnlyList<Measure>
    {
        private static readonly string[] Ethnic = ["A", "B", "C", "D", "E", "F", "G", "H", "J", "K", "L", "M", "N", "P", "R", "S", "Z", "99"];
        private static readonly string[] Quintiles = ["1", "2", "3", "4", "5", "U"];

        public int Count => indicators * RowsPerIndicator;

        public Measure this[int index]
        {
            get
            {
                var code = Code(index / RowsPerIndicator);
                var slot = index % RowsPerIndicator;
                return slot switch
                {
                    // Total 18 of 180; known ethnic groups 1 of 11 each (176), Z and 99 1 of 2; quintiles 3 of 34, U 3 of 10.
                    0 => new Measure(code, Breakdown.Total, "all", 18, 180),
                    <= 18 => new Measure(code, Breakdown.EthnicCategory, Ethnic[slot - 1], 1, slot <= 16 ? 11 : 2),
                    _ => new Measure(code, Breakdown.ImdQuintile, Quintiles[slot - 19], 3, slot <= 23 ? 34 : 10),
                };
            }
        }

        public IEnumerator<Measure> GetEnumerator()
        {
            for (var i = 0; i < Count; i++)
            {
                yield return this[i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
