using System.Globalization;
using System.Reflection;
using CsvHelper;

namespace Pipeline.Core.Reference;

/// <summary>
/// Reads the reference CSV files. The embedded copy is the default; a deployment can point at its own folder
/// (same file names) to add indicators or update the organisation hierarchy without a rebuild.
/// </summary>
public static class ReferenceDataLoader
{
    public static readonly IReadOnlyList<string> FileNames =
        ["indicators.csv", "ethnic_categories.csv", "imd_deciles.csv", "regions.csv", "lmns.csv", "trusts.csv", "organisation_membership.csv"];

    public static ReferenceData LoadEmbedded() => Load(name =>
        typeof(ReferenceDataLoader).Assembly.GetManifestResourceStream("reference/" + name)
        ?? throw new InvalidOperationException($"Reference file '{name}' is not embedded in {typeof(ReferenceDataLoader).Assembly.GetName().Name}."));

    /// <summary>Loads from a folder; any file missing there falls back to the embedded copy.</summary>
    public static ReferenceData LoadFrom(string directory)
    {
        var assembly = typeof(ReferenceDataLoader).Assembly;
        return Load(name =>
        {
            var path = Path.Combine(directory, name);
            return File.Exists(path) ? File.OpenRead(path) : OpenEmbedded(assembly, name);
        });
    }

    private static Stream OpenEmbedded(Assembly assembly, string name) =>
        assembly.GetManifestResourceStream("reference/" + name) ?? throw new InvalidOperationException($"Reference file '{name}' is missing.");

    private static ReferenceData Load(Func<string, Stream> open) => new(
        Read(open("indicators.csv"), "indicators.csv", r => new Indicator(
            r.Text("code"), r.Text("name"), r.Int("multiplier"), ParsePolarity(r.Text("polarity")), r.Int("window_months"),
            r.Text("rare_event") == "yes", r.Text("numerator_definition"), r.Text("denominator_definition"), r.Text("source"))),
        Read(open("ethnic_categories.csv"), "ethnic_categories.csv", r => new EthnicCategory(
            r.Text("code"), r.Text("label"), r.Text("broad_group"), r.Text("is_known") == "Y")),
        Read(open("imd_deciles.csv"), "imd_deciles.csv", r => new ImdDecile(r.Int("decile"), r.Int("quintile"), r.Text("label"))),
        Read(open("regions.csv"), "regions.csv", r => new Region(r.Text("code"), r.Text("ons_code"), r.Text("name"))),
        Read(open("lmns.csv"), "lmns.csv", r => new Lmns(
            r.Text("code"), r.Text("name"), r.Text("region_code"), r.Date("effective_from"), r.Date("effective_to"))),
        Read(open("trusts.csv"), "trusts.csv", r => new Trust(
            r.Text("code"), r.Text("name"), r.Date("effective_from"), r.Date("effective_to"), r.OptionalInt("deliveries_2022_23"),
            r.OptionalText("mbrrace_group"))),
        Read(open("organisation_membership.csv"), "organisation_membership.csv", r => new Membership(
            r.Text("trust_code"), r.Text("lmns_code"), r.Date("effective_from"), r.Date("effective_to"))));

    private static Polarity ParsePolarity(string text) => text switch
    {
        "higher_is_worse" => Polarity.HigherIsWorse,
        "higher_is_better" => Polarity.HigherIsBetter,
        "neutral" => Polarity.Neutral,
        _ => throw new FormatException($"Unknown polarity '{text}' (expected higher_is_worse, higher_is_better or neutral)."),
    };

    private static List<T> Read<T>(Stream stream, string fileName, Func<Row, T> map)
    {
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true, TrackLineNumbers = true }, leaveOpen: false);
        var rows = new List<T>();
        while (csv.Read())
        {
            try
            {
                rows.Add(map(new Row(csv)));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw new InvalidDataException($"Reference file {fileName}, line {csv.LineNumber}: {ex.Message}", ex);
            }
        }

        return rows;
    }

    private readonly struct Row(CsvReader csv)
    {
        public string Text(string column) => csv.GetString(column) ?? string.Empty;

        public string? OptionalText(string column) => string.IsNullOrWhiteSpace(csv.GetString(column)) ? null : csv.GetString(column);

        public int Int(string column) => int.Parse(Text(column), NumberStyles.Integer, CultureInfo.InvariantCulture);

        public int? OptionalInt(string column) => OptionalText(column) is { } t ? int.Parse(t, NumberStyles.Integer, CultureInfo.InvariantCulture) : null;

        public DateOnly? Date(string column) =>
            OptionalText(column) is { } t ? DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
    }
}
