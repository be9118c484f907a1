namespace Pipeline.Core.Text.Email;

/// <summary>One labelled value in a card ("Ratio", "1.90 (95% CI …)").</summary>
public sealed record EmailLine(string Label, string Value);

/// <summary>A block about one thing (one alert, one submission).</summary>
public sealed record EmailCard(string Title, IReadOnlyList<EmailLine> Lines);

public sealed record EmailSection(string Heading, IReadOnlyList<EmailCard> Cards, string? Intro = null);

/// <summary>An inline picture placed after the summary: <c>cid:{ContentId}</c> with alternative text.</summary>
public sealed record EmailImage(string ContentId, string AltText);

/// <summary>
/// The content of an email independent of its format; <see cref="EmailLayout"/> turns it into HTML and plain text, so
/// the two parts always say the same thing and escaping happens in one place.
/// </summary>
public sealed record EmailDocument(
    string Subject,
    string Heading,
    IReadOnlyList<string> Summary,
    IReadOnlyList<EmailSection> Sections,
    IReadOnlyList<string> Footer,
    EmailImage? Image = null);

/// <summary>A rendered email: subject, HTML body and the plain-text alternative.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);
