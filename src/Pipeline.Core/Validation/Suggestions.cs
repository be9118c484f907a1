using Pipeline.Core.Reference;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Validation;

/// <summary>
/// "Did you mean …?" for the mistakes trust analysts make: a renamed or misspelt header, a misspelt indicator code, a
/// group written as its label ("White British") or in the wrong case. Close spellings are found by edit distance
/// (optimal string alignment: a swapped pair of letters counts once); common renamings and labels come from tables.
/// </summary>
public static class Suggestions
{
    /// <summary>Header names analysts use for contract columns (normalised: lower case, underscores).</summary>
    private static readonly Dictionary<string, string> HeaderSynonyms = new(StringComparer.Ordinal)
    {
        ["reporting_month"] = SubmissionFields.ReportingPeriod,
        ["month"] = SubmissionFields.ReportingPeriod,
        ["period"] = SubmissionFields.ReportingPeriod,
        ["reporting_date"] = SubmissionFields.ReportingPeriod,
        ["org_code"] = SubmissionFields.OrganisationCode,
        ["ods_code"] = SubmissionFields.OrganisationCode,
        ["trust_code"] = SubmissionFields.OrganisationCode,
        ["organization_code"] = SubmissionFields.OrganisationCode,
        ["provider_code"] = SubmissionFields.OrganisationCode,
        ["indicator_code"] = SubmissionFields.Indicator,
        ["measure"] = SubmissionFields.Indicator,
        ["metric"] = SubmissionFields.Indicator,
        ["breakdown_type"] = SubmissionFields.Breakdown,
        ["dimension"] = SubmissionFields.Breakdown,
        ["group_code"] = SubmissionFields.Group,
        ["category"] = SubmissionFields.Group,
        ["ethnicity"] = SubmissionFields.Group,
        ["count"] = SubmissionFields.Numerator,
        ["events"] = SubmissionFields.Numerator,
        ["total"] = SubmissionFields.Denominator,
        ["population"] = SubmissionFields.Denominator,
        ["email"] = SubmissionFields.SubmittedBy,
        ["submitter"] = SubmissionFields.SubmittedBy,
        ["version"] = SubmissionFields.SchemaVersion,
    };

    /// <summary>The contract column an unknown header most likely means, or null.</summary>
    public static string? Header(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var name = SubmissionFields.NormaliseHeader(header);
        return HeaderSynonyms.TryGetValue(name, out var field) ? field
            : Closest(name, [.. SubmissionFields.Envelope, .. SubmissionFields.Measure]);
    }

    /// <summary>The catalogue's indicator code closest to <paramref name="code"/> (case, spaces and spelling), or null.</summary>
    public static string? Indicator(string code, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(reference);
        var name = SubmissionFields.NormaliseHeader(code);
        return reference.FindIndicator(name) is { } exact ? exact.Code
            : Closest(name, reference.Indicators.Select(i => i.Code));
    }

    /// <summary>
    /// The ethnic category code a written label or a lower-case code stands for ("White British" → A, "white and black
    /// african" → E, "a" → A), or null.
    /// </summary>
    public static string? EthnicCategory(string text, ReferenceData reference)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(reference);
        var trimmed = text.Trim();
        if (reference.EthnicCategories.FirstOrDefault(e => string.Equals(e.Code, trimmed, StringComparison.OrdinalIgnoreCase)) is { } byCode)
        {
            return byCode.Code;
        }

        var words = Words(trimmed);
        if (words.Length == 0)
        {
            return null;
        }

        // A label matches when every word written is in it ("White British" in "White - British"; "Black African" in
        // "Black or Black British - African"); it must then be the only label that does.
        var matches = reference.EthnicCategories.Where(e => words.All(Words(e.Label).Contains)).ToList();
        return matches.Count == 1 ? matches[0].Code : null;
    }

    /// <summary>A group code written in the wrong case that is a valid group of the breakdown ("u" → U, "ALL" → all).</summary>
    public static string? GroupCase(string group, Func<string, bool> isGroup)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(isGroup);
        var upper = group.Trim().ToUpperInvariant();
        var lower = group.Trim().ToLowerInvariant();
        return upper != group && isGroup(upper) ? upper
            : lower != group && isGroup(lower) ? lower
            : null;
    }

    /// <summary>The candidate within an edit distance of 2 (1 for short words), when exactly one is that close.</summary>
    public static string? Closest(string text, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(text);
        var limit = text.Length <= 4 ? 1 : 2;
        var scored = candidates.Select(c => (Candidate: c, Distance: Distance(text, c))).Where(x => x.Distance <= limit).ToList();
        if (scored.Count == 0)
        {
            return null;
        }

        var best = scored.Min(x => x.Distance);
        var closest = scored.Where(x => x.Distance == best).ToList();
        return closest.Count == 1 ? closest[0].Candidate : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps cost 1.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private static string[] Words(string text) =>
        text.ToLowerInvariant().Split([' ', '-', ',', '/', '(', ')', '\t', ':'], StringSplitOptions.RemoveEmptyEntries);
}
