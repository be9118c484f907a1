namespace Pipeline.Core.Alerts;

/// <summary>
/// Mutes notifications for the alerts it matches while it is active (<see cref="StartsAt"/> ≤ now &lt; <see cref="ExpiresAt"/>).
/// Silenced alerts keep their state and history; once the silence expires the recipients are told the alert's current state.
/// </summary>
public sealed record Silence(
    string Id,
    SilenceMatcher Matcher,
    string Reason,
    string Author,
    DateTimeOffset StartsAt,
    DateTimeOffset ExpiresAt)
{
    public bool IsActiveAt(DateTimeOffset now) => StartsAt <= now && now < ExpiresAt;

    public bool Silences(AlertFingerprint fingerprint, DateTimeOffset now) => IsActiveAt(now) && Matcher.Matches(fingerprint);

    /// <summary>The longest a silence may last (a year): muting for ever is what a rule change is for.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(366);

    /// <summary>
    /// Checks what a person typed for <c>silence add</c>: a matcher, a reason, an author and an expiry after the start and
    /// within <see cref="MaxDuration"/>. Returns the silence, or the first problem in words.
    /// </summary>
    public static (Silence? Silence, string? Error) Create(
        string id, string? matcher, string? reason, string? author, DateTimeOffset startsAt, DateTimeOffset expiresAt)
    {
        if (SilenceMatcher.TryParse(matcher) is not { } parsed)
        {
            return (null, $"'{matcher}' is not a matcher: give up to six |-separated patterns (level|organisation|indicator|breakdown|group|rule) with * for any, e.g. organisation|R0A|*|*|*|*.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return (null, "A silence needs a reason, so others know why alerts are muted.");
        }

        if (string.IsNullOrWhiteSpace(author))
        {
            return (null, "A silence needs an author (who to ask about it).");
        }

        if (expiresAt <= startsAt)
        {
            return (null, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The expiry {expiresAt:yyyy-MM-dd HH:mm} must be after the start {startsAt:yyyy-MM-dd HH:mm}."));
        }

        if (expiresAt - startsAt > MaxDuration)
        {
            return (null, "A silence can last at most a year; change the rule's configuration to stop an alert for good.");
        }

        return (new Silence(id, parsed, reason.Trim(), author.Trim(), startsAt, expiresAt), null);
    }
}

/// <summary>
/// A pattern per fingerprint field (<c>level|organisation|indicator|breakdown|group|rule</c>), where <c>*</c> matches any
/// run of characters: <c>organisation|R0A|*|*|*|*</c> silences everything about trust R0A; <c>*|*|stillbirth|*|*|spc</c>
/// every SPC alert on stillbirths.
/// </summary>
public sealed record SilenceMatcher(string Level, string Organisation, string Indicator, string Breakdown, string Group, string Rule)
{
    public static readonly SilenceMatcher Everything = new("*", "*", "*", "*", "*", "*");

    public IReadOnlyList<string> Patterns => [Level, Organisation, Indicator, Breakdown, Group, Rule];

    public override string ToString() => string.Join(AlertFingerprint.Separator, Patterns);

    /// <summary>Parses six <c>|</c>-separated patterns; a shorter text is padded with <c>*</c>. Null when there are more than six or one is empty.</summary>
    public static SilenceMatcher? TryParse(string? text)
    {
        var parts = (text ?? string.Empty).Split(AlertFingerprint.Separator);
        if (parts.Length > 6 || parts.Any(p => p.Trim().Length == 0))
        {
            return null;
        }

        var padded = parts.Select(p => p.Trim()).Concat(Enumerable.Repeat("*", 6 - parts.Length)).ToArray();
        return new SilenceMatcher(padded[0], padded[1], padded[2], padded[3], padded[4], padded[5]);
    }

    public bool Matches(AlertFingerprint fingerprint) =>
        Patterns.Zip(fingerprint.Fields).All(pair => Glob.IsMatch(pair.First, pair.Second));
}

internal static class Glob
{
    /// <summary>Ordinal match where <c>*</c> stands for any (possibly empty) run of characters.</summary>
    public static bool IsMatch(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
