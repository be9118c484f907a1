using Pipeline.Core.Alerts;

namespace Pipeline.Core.Tests.Alerts;

public class AlertJsonTests
{
    [Fact]
    public void Evidence_round_trips_through_its_stored_json_with_snake_case_names_and_periods_as_text()
    {
        var evidence = AlertScenario.Evidence("2026-10") with { ReferenceCiLower = null };

        var json = AlertJson.Serialize(evidence);

        Assert.Contains("\"window_end\":\"2026-10\"", json, StringComparison.Ordinal);
        Assert.Contains("\"ratio_ci_lower998\":1.01", json, StringComparison.Ordinal);
        Assert.DoesNotContain("reference_ci_lower", json, StringComparison.Ordinal);
        Assert.DoesNotContain("window_start", json, StringComparison.Ordinal);
        Assert.Equal(evidence, AlertJson.DeserializeEvidence(json));
    }
}
