using Pipeline.Core.Detection;

namespace Pipeline.Core.Alerts;

/// <summary>
/// The identity of an alert: <c>level|organisation_code|indicator_code|breakdown|group_code|rule</c>. Two signals with the
/// same fingerprint are the same alert, whichever period or run produced them.
/// </summary>
public sealed record AlertFingerprint(
    Level Level,
    string OrganisationCode,
    string IndicatorCode,
    string Breakdown,
    string GroupCode,
    AlertRule Rule)
{
    public const char Separator = '|';

    /// <summary>The field values in fingerprint order, as wire strings (what silences match against).</summary>
    public IReadOnlyList<string> Fields => [Level.ToWire(), OrganisationCode, IndicatorCode, Breakdown, GroupCode, Rule.ToWire()];

    public override string ToString() => string.Join(Separator, Fields);

    /// <summary>Parses the text form written by <see cref="ToString"/>; null when it is not a fingerprint.</summary>
    public static AlertFingerprint? TryParse(string? text)
    {
        var parts = text?.Split(Separator);
        if (parts is not { Length: 6 } ||
            !AlertNames.TryParseLevel(parts[0], out var level) ||
            !AlertNames.TryParseRule(parts[5], out var rule) ||
            parts.Skip(1).Take(4).Any(string.IsNullOrEmpty))
        {
            return null;
        }

        return new AlertFingerprint(level, parts[1], parts[2], parts[3], parts[4], rule);
    }
}
