using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.Validation;

namespace Pipeline.Core.Text.Receipts;

/// <summary>
/// The report's JSON form (the receipt's machine-readable half): snake_case names, enum values as snake_case strings,
/// every field always present (null when it does not apply), so consumers can rely on the shape.
/// </summary>
public static class ReceiptJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default,
    };

    public static string Write(ValidationReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>
    /// The receipt's JSON: the report's fields, then <c>receipt</c> (received_at, deadline, on_time, totals, replaced,
    /// kept_current; null fields where they do not apply) and <c>contract_url</c>. <see cref="Read"/> reads the report back.
    /// </summary>
    public static string Write(ValidationReport report, ReceiptFacts facts, string contractUrl)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var node = JsonSerializer.SerializeToNode(report, Options)!.AsObject();
        var receipt = JsonSerializer.SerializeToNode(facts, Options)!.AsObject();
        receipt["on_time"] = facts.OnTime;
        receipt.Remove("timeliness");
        receipt.Remove("replacement");
        receipt["summary"] = facts.Replacement is { } replacement ? $"{facts.Timeliness}. {replacement}" : facts.Timeliness + ".";
        node["receipt"] = receipt;
        node["contract_url"] = contractUrl;
        return node.ToJsonString(Options);
    }

    public static Task WriteAsync(ValidationReport report, Stream destination, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(destination, report, Options, cancellationToken);

    /// <summary>Reads a report written by <see cref="Write"/> (for receipts stored earlier).</summary>
    public static ValidationReport Read(string json) =>
        JsonSerializer.Deserialize<ValidationReport>(json, Options) ?? throw new JsonException("The report JSON is empty (null).");
}
