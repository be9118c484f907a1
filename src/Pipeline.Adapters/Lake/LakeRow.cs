using System.Text.Json.Serialization;

namespace Pipeline.Adapters.Lake;

/// <summary>
/// One row of <c>lake/measures</c>: a measure with its submission and the classifications in force for its month, so readers
/// need no joins for the common questions. Column names are the SQL store's.
/// </summary>
internal sealed class LakeRow
{
    [JsonPropertyName("submission_id")]
    public string SubmissionId { get; set; } = string.Empty;

    [JsonPropertyName("schema_version")]
    public string SchemaVersion { get; set; } = string.Empty;

    [JsonPropertyName("organisation_code")]
    public string OrganisationCode { get; set; } = string.Empty;

    /// <summary>The first day of the reporting month (a Parquet DATE).</summary>
    [JsonPropertyName("reporting_period")]
    public DateOnly ReportingPeriod { get; set; }

    [JsonPropertyName("indicator_code")]
    public string IndicatorCode { get; set; } = string.Empty;

    [JsonPropertyName("breakdown")]
    public string Breakdown { get; set; } = string.Empty;

    [JsonPropertyName("group_code")]
    public string GroupCode { get; set; } = string.Empty;

    [JsonPropertyName("numerator")]
    public long Numerator { get; set; }

    [JsonPropertyName("denominator")]
    public long Denominator { get; set; }

    /// <summary>Ethnic rows: White, Mixed, Asian, Black, Other or Unknown; null otherwise.</summary>
    [JsonPropertyName("broad_group")]
    public string? BroadGroup { get; set; }

    /// <summary>IMD rows: quintile 1 (most deprived) to 5; null for other rows and for U (not assignable).</summary>
    [JsonPropertyName("imd_quintile")]
    public int? ImdQuintile { get; set; }

    [JsonPropertyName("lmns_code")]
    public string? LmnsCode { get; set; }

    [JsonPropertyName("region_code")]
    public string? RegionCode { get; set; }
}
