using System.Globalization;

namespace Pipeline.Core.Validation;

/// <summary>
/// One kind of problem: a stable code (never reused, never renumbered), its severity, a short title, and the
/// message and fix templates. Placeholders are <c>{name}</c>; the caller supplies the values.
/// </summary>
public sealed partial record ErrorDefinition(string Code, Severity Severity, string Title, string MessageTemplate, string FixTemplate, string Stage)
{
    /// <summary>
    /// Fills <c>{name}</c> placeholders in one pass (a value that itself contains "{hint}" stays as the submitter wrote
    /// it); unknown placeholders are left as written so a missing argument is visible.
    /// </summary>
    public static string Fill(string template, IReadOnlyList<KeyValuePair<string, string>> arguments)
    {
        if (arguments.Count == 0 || !template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        return Placeholder().Replace(template, m =>
        {
            foreach (var (name, value) in arguments)
            {
                if (name == m.Groups[1].Value)
                {
                    return value;
                }
            }

            return m.Value;
        });
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{([a-z_]+)\}", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Placeholder();
}

/// <summary>
/// Every error and warning code the validator can produce, in one place. <c>docs/errors.md</c> is generated from
/// this list by a test (run it with <c>UPDATE_DOCS=1</c> to regenerate). Codes are part of the contract with trusts
/// and with anything that stores reports: add new codes, never change the meaning of an existing one.
/// </summary>
public static class ErrorCatalogue
{
    private const string File = "file";
    private const string Structure = "structure";
    private const string Schema = "schema";
    private const string Rules = "rules";
    private const string Privacy = "personal data";
    private const string Quality = "data quality";

    // File and format: the file cannot be read as a submission at all.
    public static readonly ErrorDefinition FileTooLarge = Error("E001", File, "File too large",
        "The file is {size}, over the limit of {limit}; it was not read.",
        "Send one trust and one month per file. A complete monthly submission is far smaller than the limit; check you exported the summary counts, not record-level data.");

    public static readonly ErrorDefinition UnsupportedFormat = Error("E002", File, "Unsupported file type",
        "Files ending in '{extension}' are not accepted.",
        "Save the submission as .csv (CSV UTF-8), .xlsx (Excel workbook) or .json.");

    public static readonly ErrorDefinition EmptyFile = Error("E003", File, "Empty file",
        "The file is empty.",
        "Export the submission again; the file should contain a header row and one row per count.");

    public static readonly ErrorDefinition Unreadable = Error("E004", File, "File cannot be read",
        "The file cannot be read as {format}: {detail}.",
        "Save the submission again from the original tool as .csv (CSV UTF-8), .xlsx or .json, and check the file name's extension matches its content.");

    public static readonly ErrorDefinition NotUtf8 = Error("E005", File, "Text is not UTF-8",
        "Byte {offset} (line {line}) is 0x{byte}, which is not UTF-8 text{guess}. The file was probably saved as 'CSV' (Windows-1252/ANSI) rather than 'CSV UTF-8'; it was not read further.",
        "In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)' and submit that file.");

    public static readonly ErrorDefinition JsonSyntax = Error("E006", Structure, "Invalid JSON",
        "The JSON is not valid at line {line}, position {position}: {detail}.",
        "Correct the JSON at that position (a JSON validator or editor will show it); the file must be one JSON object as in schemas/examples/submission.json.");

    public static readonly ErrorDefinition JsonTruncated = Error("E007", Structure, "JSON ends early",
        "The JSON ends before the document is complete (after {bytes} bytes); the file looks truncated.",
        "Export or copy the file again in full; every '{' and '[' must be closed.");

    public static readonly ErrorDefinition TooDeeplyNested = Error("E008", Structure, "Nested too deeply",
        "The JSON is nested more than {depth} levels deep at {pointer}; a submission needs 3 and it was not read further.",
        "Use the flat shape in schemas/examples/submission.json: an object with a 'measures' list of flat objects.");

    public static readonly ErrorDefinition DuplicateKey = Error("E009", Structure, "Duplicate JSON key",
        "The key '{key}' appears more than once in the same object.",
        "Keep one '{key}' per object; a repeated key makes the value ambiguous.");

    public static readonly ErrorDefinition NumberOutOfRange = Error("E010", Structure, "Number out of range",
        "{field} is {value}, which is too large to be a count.",
        "Enter the count as a whole number below 1,000,000,000.");

    public static readonly ErrorDefinition RootNotObject = Error("E011", Structure, "JSON is not an object",
        "The JSON document is {kind}, not an object.",
        "The file must be one JSON object with organisation_code, reporting_period and measures, as in schemas/examples/submission.json.");

    public static readonly ErrorDefinition MalformedCsv = Error("E012", Structure, "Malformed CSV",
        "The CSV cannot be split into cells at line {line}: {detail}.",
        "{hint}");

    /// <summary>The fix for E012: about quoting, or about the separator the file was saved with.</summary>
    internal static string MalformedCsvHint(char? separator) => separator switch
    {
        null => "Make sure every value containing a comma or quote is wrapped in double quotes and quotes inside it are doubled (\"\"). Saving from Excel as 'CSV UTF-8' does this for you.",
        ';' => "The file was saved with semicolons, as Excel does where the list separator is ';' (many European settings). In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'; if the file still has semicolons, change the Windows list separator to ',' or submit the workbook as .xlsx instead.",
        '\t' => "The file is tab-separated (Excel's 'Text (Tab delimited)'). In Excel choose File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)', or submit the workbook as .xlsx.",
        _ => $"The file is separated by '{separator}'. Save it with commas ('CSV UTF-8 (Comma delimited)' in Excel), or submit the workbook as .xlsx.",
    };

    public static readonly ErrorDefinition WorkbookTooExpanded = Error("E013", File, "Workbook expands too much",
        "The workbook would expand to {expanded} when opened ({detail}); it was not opened.",
        "Submit only the measures sheet with the summary counts; remove other sheets, images and formatting.");

    public static readonly ErrorDefinition MissingColumn = Error("E014", Structure, "Missing column",
        "The required column '{column}' is not in the header row.",
        "Add a column headed '{column}'. Required columns: organisation_code, reporting_period, indicator, breakdown, group, numerator, denominator.");

    public static readonly ErrorDefinition DuplicateColumn = Error("E015", Structure, "Duplicate column",
        "The column '{column}' appears more than once in the header row.",
        "Keep one '{column}' column and delete the others.");

    public static readonly ErrorDefinition TooManyRows = Error("E016", Structure, "Too many rows",
        "The file has {count} measure rows, over the limit of {limit}; rows after the limit were counted but not checked.",
        "Send one trust and one month per file. A monthly submission has at most a few thousand rows.");

    public static readonly ErrorDefinition ValueVaries = Error("E017", Structure, "Value differs between rows",
        "{field} is '{value}' here but '{first}' on earlier rows; it must be the same on every row.",
        "Use one {field} for the whole file: one file per trust and month.");

    public static readonly ErrorDefinition ValueWithoutHeader = Error("E018", Structure, "Value in a column without a header",
        "The value '{value}' is in column {column}, which has no header.",
        "Delete values outside the contract's columns (only the header row's named columns are read).");

    public static readonly ErrorDefinition NoSheet = Error("E019", Structure, "No worksheet with data",
        "The workbook has no worksheet with a header row.",
        "Put the counts on a worksheet named 'measures', with the header row first and one row per count below it.");

    public static readonly ErrorDefinition NoHeaderRow = Error("E020", Structure, "No header row",
        "The first row with values should be the header, but it has none of the contract's column names (it has '{found}').",
        "Put the column names in the first row (delete any title rows above them): organisation_code, reporting_period, indicator, breakdown, group, numerator, denominator, and optionally schema_version, submitted_by.");

    // Schema: a value does not fit the contract in schemas/equity-submission.v1.schema.json.
    public static readonly ErrorDefinition MissingValue = Error("E101", Schema, "Missing value",
        "{field} is missing or empty.",
        "{hint}");

    public static readonly ErrorDefinition WrongType = Error("E102", Schema, "Wrong kind of value",
        "{field} must be {expected}, but is '{value}'.{why}",
        "{hint}");

    public static readonly ErrorDefinition InvalidValue = Error("E103", Schema, "Value not allowed",
        "{field} '{value}' is not {expected}.",
        "{hint}");

    public static readonly ErrorDefinition NegativeNumber = Error("E104", Schema, "Negative count",
        "{field} is {value}; counts cannot be below 0.",
        "{hint}");

    public static readonly ErrorDefinition NumberTooLarge = Error("E105", Schema, "Count too large",
        "{field} is {value}, above the largest allowed count ({maximum}).",
        "{hint}");

    public static readonly ErrorDefinition UnknownField = Error("E106", Schema, "Unknown column or field",
        "'{field}' is not part of the submission contract.{suggestion}",
        "{hint}");

    /// <summary>The fix for an unknown column: rename it when it looks like a contract column, else remove it.</summary>
    internal static string UnknownFieldHint(string? suggestion) => suggestion is null
        ? "Remove it. A submission holds only aggregate counts: organisation_code, reporting_period, indicator, breakdown, group, numerator, denominator (and optionally schema_version, submitted_by)."
        : $"Rename it {suggestion}.";

    // Business rules the schema cannot express.
    public static readonly ErrorDefinition NoMeasures = Error("E201", Rules, "No measures",
        "The submission has no measure rows.",
        "Add one row per indicator, breakdown and group, including a 'total' row (group 'all') for each indicator.");

    public static readonly ErrorDefinition MissingTotal = Error("E202", Rules, "Missing total row",
        "Indicator '{indicator}' has no total row (breakdown 'total', group 'all').",
        "Add one row: indicator {indicator}, breakdown total, group all, with the numerator and denominator for the whole trust.");

    public static readonly ErrorDefinition DuplicateRow = Error("E203", Rules, "Duplicate row",
        "The row {key} appears more than once (first at {first}).",
        "Keep one row per indicator, breakdown and group; add the counts together if they were split.");

    public static readonly ErrorDefinition GroupsDoNotAddUp = Error("E204", Rules, "Groups do not add up to the total",
        "The {breakdown} groups of '{indicator}' add up to {groups}, but the total row says {total}.",
        "Every record belongs to exactly one group, unknowns included (ethnic Z/99, IMD U): make the groups' numerators and denominators sum exactly to the total row.");

    public static readonly ErrorDefinition NumeratorAboveDenominator = Error("E205", Rules, "Numerator above denominator",
        "The numerator {numerator} is larger than the denominator {denominator}.",
        "The numerator counts the records with the outcome among the denominator's records, so it cannot exceed it; check the two columns are not swapped.");

    public static readonly ErrorDefinition ZeroDenominator = Error("E206", Rules, "Numerator with a zero denominator",
        "The denominator is 0 but the numerator is {numerator}.",
        "When a group has no records, both numerator and denominator are 0.");

    public static readonly ErrorDefinition UnknownIndicator = Error("E207", Rules, "Unknown indicator",
        "'{value}' is not an indicator in the catalogue.{suggestion}",
        "Use an indicator code from reference/indicators.csv, for example stillbirth, neonatal_death, caesarean (lower case, underscores).");

    public static readonly ErrorDefinition UnknownGroup = Error("E208", Rules, "Group not valid for the breakdown",
        "Group '{value}' is not one of the {breakdown} groups.{suggestion}",
        "{hint}");

    public static readonly ErrorDefinition CodeInAnotherCase = Warning("W201", Rules, "Code written in another case",
        "{field} '{value}' was read as '{canonical}'.",
        "Write it as '{canonical}', as the contract does. A code in another case is accepted only when it can stand for one code.");

    public static readonly ErrorDefinition TakenFromFolder = Warning("W202", Rules, "Taken from the folder",
        "The file gives no {field}; {value} was taken from the folder it was dropped in ({folder}).",
        "Add a {field} column (or field) with {value}, so the file says which {what} it is for wherever it is dropped.");

    public static readonly ErrorDefinition BothImdBreakdowns = Error("E209", Rules, "Both IMD breakdowns",
        "Indicator '{indicator}' is broken down by both imd_decile and imd_quintile.",
        "Send one IMD breakdown per indicator: deciles (preferred; quintiles are derived from them) or quintiles.");

    public static readonly ErrorDefinition UnknownOrganisation = Error("E210", Rules, "Unknown organisation",
        "'{value}' is not a trust in the organisation reference data.",
        "Use your trust's ODS code (3 characters for most trusts, for example R0A). If your trust has a new code after a merger, ask the regional team to update the reference data.");

    public static readonly ErrorDefinition OrganisationNotActive = Error("E211", Rules, "Organisation not open in the period",
        "Trust '{value}' is not open in {period} (open {from} to {to}).",
        "Submit under the code of the trust that provided the service in that month, or check the reporting period.");

    public static readonly ErrorDefinition PeriodInFuture = Error("E212", Rules, "Period in the future",
        "The reporting period {value} is after the current month ({now}).",
        "Report a month that has ended or is in progress, written as YYYY-MM.");

    public static readonly ErrorDefinition PeriodNotReal = Error("E213", Rules, "Period is not a month",
        "'{value}' is not a calendar month.",
        "Write the month as YYYY-MM with a four-digit year from 1900, for example 2026-10.");

    public static readonly ErrorDefinition FolderOrganisationMismatch = Error("E214", Rules, "Organisation differs from the folder",
        "The file says organisation '{value}' but was dropped in the folder for '{folder}'.",
        "Put the file in submissions/{value}/ or correct organisation_code; each trust submits only its own data.");

    public static readonly ErrorDefinition FolderPeriodMismatch = Error("E215", Rules, "Period differs from the folder",
        "The file says reporting period '{value}' but was dropped in the folder for '{folder}'.",
        "Put the file in the folder for its month (submissions/{organisation}/{value}/) or correct reporting_period.");

    public static readonly ErrorDefinition PeriodTooEarly = Error("E216", Rules, "Period before the collection began",
        "The reporting period {value} is before {earliest}, the first month this collection accepts.",
        "Check the year: write the month as YYYY-MM, for example 2026-10. Months before {earliest} are not collected.");

    public static readonly ErrorDefinition SubmittedByNotDeliverable = Error("E217", Rules, "Receipt address cannot be used",
        "submitted_by '{value}' is not an email address the pipeline can send to.",
        "Give one plain address such as analyst@nhs.net: no name, angle brackets, quotes, spaces or second address. Leave it empty to get no receipt.");

    // Personal data: the submission is aggregate only.
    public static readonly ErrorDefinition NhsNumber = Error("E301", Privacy, "Looks like an NHS number",
        "{field} holds '{value}', which looks like an NHS number (10 digits with a valid check digit). The value is not shown in full.",
        "Delete it. Submissions carry aggregate counts only, never patient identifiers; if it is a count, it cannot be this large.");

    public static readonly ErrorDefinition Postcode = Error("E302", Privacy, "Looks like a postcode",
        "{field} holds '{value}', which looks like a UK postcode. The value is not shown in full.",
        "Delete it. Submissions carry aggregate counts only; deprivation is sent as IMD decile or quintile codes, not postcodes.");

    // Warnings: the file is accepted, but equity analysis is less reliable.
    public static readonly ErrorDefinition EthnicityNotRecorded = Warning("W401", Quality, "Ethnicity often not recorded",
        "{share} of '{indicator}' records have ethnic category Z (not stated) or 99 (not known): {unknown} of {total}.",
        "Improve ethnicity recording at booking. Above 10% the comparisons between ethnic groups are less reliable and alerts for this indicator are held back.");

    public static readonly ErrorDefinition ImdNotAssigned = Warning("W402", Quality, "IMD often not assignable",
        "{share} of '{indicator}' records have IMD group U (no English LSOA): {unknown} of {total}.",
        "Check postcodes are recorded and mapped to LSOAs. Above 10% the comparisons between deprivation groups are less reliable and alerts for this indicator are held back.");

    /// <summary>Every definition, ordered by code.</summary>
    public static IReadOnlyList<ErrorDefinition> All { get; } =
        [.. typeof(ErrorCatalogue).GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorDefinition))
            .Select(f => (ErrorDefinition)f.GetValue(null)!)
            .OrderBy(d => d.Code, StringComparer.Ordinal)];

    public static ErrorDefinition? Find(string code) => All.FirstOrDefault(d => d.Code == code);

    /// <summary>Formats a byte count for messages (1 decimal MB above 1 MB).</summary>
    public static string Bytes(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes");

    private static ErrorDefinition Error(string code, string stage, string title, string message, string fix) =>
        new(code, Severity.Error, title, message, fix, stage);

    private static ErrorDefinition Warning(string code, string stage, string title, string message, string fix) =>
        new(code, Severity.Warning, title, message, fix, stage);
}
