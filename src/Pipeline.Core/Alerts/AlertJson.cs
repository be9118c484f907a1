using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.Model;

namespace Pipeline.Core.Alerts;

/// <summary>
/// The stored JSON form of alert evidence (the <c>evidence_json</c> columns of <c>alert</c>, <c>alert_observation</c> and
/// <c>alert_event</c>): snake_case names, periods as <c>yyyy-MM</c>, nulls omitted. Round-trips exactly.
/// </summary>
public static class AlertJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new PeriodConverter() },
    };

    public static string Serialize(AlertEvidence evidence) => JsonSerializer.Serialize(evidence, Options);

    public static AlertEvidence DeserializeEvidence(string json) =>
        JsonSerializer.Deserialize<AlertEvidence>(json, Options) ?? throw new JsonException("Alert evidence JSON is null.");

    private sealed class PeriodConverter : JsonConverter<Period>
    {
        public override Period Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Period.TryParse(reader.GetString(), out var period) ? period : throw new JsonException($"'{reader.GetString()}' is not a period (yyyy-MM).");

        public override void Write(Utf8JsonWriter writer, Period value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
