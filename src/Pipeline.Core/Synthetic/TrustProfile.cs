using System.Globalization;
using CsvHelper;

namespace Pipeline.Core.Synthetic;

/// <summary>
/// A trust's case mix from NHS Maternity Statistics 2022-23: deliveries by broad ethnic group (with the not stated /
/// not known / missing buckets) and by IMD decile (with the non-assignable buckets).
/// </summary>
/// <param name="EthnicGroups">Deliveries by published broad group label: White, Mixed, Asian, Black, Other, NotStated, NotKnown.</param>
/// <param name="Deciles">Deliveries by IMD decile 1–10 (index 0–9) and not assignable (index 10).</param>
public sealed record TrustProfile(string TrustCode, IReadOnlyDictionary<string, double> EthnicGroups, IReadOnlyList<double> Deciles);

/// <summary>Reads the embedded MSDS 2022-23 subset into per-trust profiles (the national row is the fallback).</summary>
public static class TrustProfiles
{
    public const string ResourceName = "reference/msds_nms_2022_23_ethnicity_imd_subset.csv";
    public const string National = "National";

    private static readonly Lazy<IReadOnlyDictionary<string, TrustProfile>> EmbeddedProfiles = new(LoadEmbedded);

    public static IReadOnlyDictionary<string, TrustProfile> Embedded => EmbeddedProfiles.Value;

    /// <summary>The trust's profile, or the national one for a trust the 2022-23 publication does not list.</summary>
    public static TrustProfile For(string trustCode) =>
        Embedded.TryGetValue(trustCode, out var profile) ? profile : Embedded[National] with { TrustCode = trustCode };

    private static Dictionary<string, TrustProfile> LoadEmbedded()
    {
        using var stream = typeof(TrustProfiles).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in Pipeline.Core.");
        return Load(stream);
    }

    internal static Dictionary<string, TrustProfile> Load(Stream stream)
    {
        var ethnic = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        var deciles = new Dictionary<string, double[]>(StringComparer.Ordinal);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true }, leaveOpen: true);
        while (csv.Read())
        {
            var level = csv.GetString("Org_Level");
            if (level is not ("Provider" or "National"))
            {
                continue;
            }

            var code = level == "National" ? National : csv.GetString("Org_Code") ?? string.Empty;
            var measure = csv.GetString("Measure") ?? string.Empty;
            var value = double.Parse(csv.GetString("Value") ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture);
            switch (csv.GetString("Dimension"))
            {
                case "EthnicCategoryMotherGroup":
                    var groups = ethnic.TryGetValue(code, out var g) ? g : ethnic[code] = new Dictionary<string, double>(StringComparer.Ordinal);
                    var label = EthnicLabel(measure);
                    groups[label] = groups.GetValueOrDefault(label) + value;
                    break;
                case "DeprivationDecileAtBooking":
                    var row = deciles.TryGetValue(code, out var d) ? d : deciles[code] = new double[11];
                    row[DecileIndex(measure)] += value;
                    break;
            }
        }

        return ethnic.Keys.Intersect(deciles.Keys, StringComparer.Ordinal)
            .ToDictionary(code => code, code => new TrustProfile(code, ethnic[code], deciles[code]), StringComparer.Ordinal);
    }

    private static string EthnicLabel(string measure) => measure switch
    {
        "White" => "White",
        "Mixed" => "Mixed",
        "Asian or Asian British" => "Asian",
        "Black or Black British" => "Black",
        "Any other ethnic group" => "Other",
        "Not Stated" => "NotStated",
        _ => "NotKnown", // "Not known" and "Missing value / Value outside reporting parameters"
    };

    /// <summary>"01 - Most deprived", "02" … "10 - Least deprived" → 0–9; the non-assignable labels → 10.</summary>
    private static int DecileIndex(string measure) =>
        measure.Length >= 2 && int.TryParse(measure.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var decile) && decile is >= 1 and <= 10
            ? decile - 1
            : 10;
}
