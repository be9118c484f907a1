using Pipeline.Core.Model;
using Pipeline.Core.Submissions.Reading;

namespace Pipeline.Core.Validation;

/// <summary>What each contract field must hold, in the words used for fix hints.</summary>
internal static class FieldGuide
{
    public static string Hint(string field) => field switch
    {
        SubmissionFields.SchemaVersion => "Write 1.0, or leave schema_version out.",
        SubmissionFields.OrganisationCode => "Use your trust's ODS code in capitals, for example R0A.",
        SubmissionFields.ReportingPeriod => "Write the month as YYYY-MM, for example 2026-10. In Excel format the column as Text first, or Excel turns it into a date.",
        SubmissionFields.SubmittedBy => "Give one email address (it receives the receipt), or leave it empty.",
        SubmissionFields.Measures => "Give 'measures' as a list of objects, one per indicator, breakdown and group.",
        SubmissionFields.Indicator => "Use an indicator code from the catalogue (reference/indicators.csv), for example stillbirth; lower case with underscores.",
        SubmissionFields.Breakdown => "Use one of: total, ethnic_category, imd_decile, imd_quintile.",
        SubmissionFields.Group => "Use all for the total row; ethnic categories A-H, J-N, P, R, S, Z (not stated), 99 (not known); IMD deciles 1-10 or U; IMD quintiles 1-5 or U.",
        SubmissionFields.Numerator or SubmissionFields.Denominator => "Enter a whole-number count of records, 0 or more, with no %, decimals, spaces or thousands separators.",
        _ => "Remove values that are not part of the contract.",
    };

    public static string Expected(string field) => field switch
    {
        SubmissionFields.SchemaVersion => "a supported schema version (1.0)",
        SubmissionFields.OrganisationCode => "an ODS code (3-5 capital letters or digits)",
        SubmissionFields.ReportingPeriod => "a month written as YYYY-MM",
        SubmissionFields.SubmittedBy => "an email address",
        SubmissionFields.Indicator => "an indicator code (lower case letters, digits and underscores)",
        SubmissionFields.Breakdown => "one of total, ethnic_category, imd_decile, imd_quintile",
        SubmissionFields.Group => "a group code (all, a capital letter, or 1-2 digits)",
        _ => "an allowed value",
    };

    public static string GroupHint(Breakdown breakdown) => breakdown switch
    {
        Breakdown.Total => "The total row's group is all.",
        Breakdown.EthnicCategory => "Use an NHS Data Dictionary ethnic category code: A-H, J-N, P, R, S, Z (not stated) or 99 (not known).",
        Breakdown.ImdDecile => "Use an IMD decile 1-10 (1 = most deprived) or U (not assignable to an English LSOA).",
        Breakdown.ImdQuintile => "Use an IMD quintile 1-5 (1 = most deprived) or U (not assignable to an English LSOA).",
        _ => Hint(SubmissionFields.Group),
    };
}
