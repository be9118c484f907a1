using Pipeline.Core.Alerts;

namespace Pipeline.Core.Tests.Alerts;

public class SilenceMatcherTests
{
    private static readonly AlertFingerprint Fingerprint = AlertScenario.BlackStillbirths;

    [Theory]
    [InlineData("organisation|R0A|*|*|*|*", true)]
    [InlineData("organisation|R0A", true)]
    [InlineData("*|*|stillbirth|*|*|ratio", true)]
    [InlineData("*|R0*|still*|*|B*k|*", true)]
    [InlineData("*|R1F", false)]
    [InlineData("lmns|R0A", false)]
    [InlineData("*|*|*|*|*|spc", false)]
    [InlineData("*|*|stillbirths|*|*|*", false)]
    public void Patterns_match_fingerprint_fields_with_wildcards(string pattern, bool matches) =>
        Assert.Equal(matches, SilenceMatcher.TryParse(pattern)!.Matches(Fingerprint));

    [Theory]
    [InlineData("a|b|c|d|e|f|g")]
    [InlineData("organisation||stillbirth")]
    public void Malformed_patterns_are_refused(string pattern) => Assert.Null(SilenceMatcher.TryParse(pattern));

    [Fact]
    public void A_silence_applies_only_between_its_start_and_expiry()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var silence = new Silence("s", SilenceMatcher.Everything, "why", "who", start, start.AddDays(7));

        Assert.False(silence.Silences(Fingerprint, start.AddTicks(-1)));
        Assert.True(silence.Silences(Fingerprint, start));
        Assert.True(silence.Silences(Fingerprint, start.AddDays(7).AddTicks(-1)));
        Assert.False(silence.Silences(Fingerprint, start.AddDays(7)));
    }

    [Fact]
    public void A_fingerprint_round_trips_through_its_text_form()
    {
        var text = Fingerprint.ToString();

        Assert.Equal("organisation|R0A|stillbirth|ethnic_group|Black|ratio", text);
        Assert.Equal(Fingerprint, AlertFingerprint.TryParse(text));
        Assert.Null(AlertFingerprint.TryParse("organisation|R0A|stillbirth|ethnic_group|Black|nonsense"));
    }

    [Theory]
    [InlineData("a|b|c|d|e|f|g", "why", "me", 7, "is not a matcher")]
    [InlineData("organisation|R0A", " ", "me", 7, "needs a reason")]
    [InlineData("organisation|R0A", "why", "", 7, "needs an author")]
    [InlineData("organisation|R0A", "why", "me", 0, "must be after the start")]
    [InlineData("organisation|R0A", "why", "me", 400, "at most a year")]
    public void A_silence_request_with_a_problem_is_refused_saying_what_to_fix(string matcher, string reason, string author, int days, string message)
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        var (silence, error) = Silence.Create("s1", matcher, reason, author, start, start.AddDays(days));

        Assert.Null(silence);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_valid_silence_request_gives_a_silence_with_its_matcher()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

        var (silence, error) = Silence.Create("s1", "*|R0A", " coding fix in progress ", "lead@nhs.example", start, start.AddDays(30));

        Assert.Null(error);
        Assert.Equal("*|R0A|*|*|*|*", silence!.Matcher.ToString());
        Assert.Equal("coding fix in progress", silence.Reason);
    }
}
