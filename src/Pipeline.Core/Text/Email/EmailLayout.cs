using System.Net;
using System.Text;

namespace Pipeline.Core.Text.Email;

/// <summary>
/// Lays out an <see cref="EmailDocument"/> as HTML (simple tables with inline styles, which is what email clients render
/// reliably) and as plain text. Every string is HTML-encoded on the way out, whether it came from a submission or not.
/// </summary>
public static class EmailLayout
{
    public static RenderedEmail Render(EmailDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new RenderedEmail(OneLine(document.Subject), Html(document), Text(document));
    }

    private static string Html(EmailDocument d)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(E(d.Subject)).Append("</title>\n</head>\n")
            .Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#212b32;\">\n")
            .Append("<h1 style=\"font-size:20px;\">").Append(E(d.Heading)).Append("</h1>\n");
        foreach (var line in d.Summary)
        {
            html.Append("<p>").Append(E(line)).Append("</p>\n");
        }

        if (d.Image is { } image)
        {
            html.Append("<p><img src=\"cid:").Append(E(image.ContentId)).Append("\" alt=\"").Append(E(image.AltText))
                .Append("\" style=\"max-width:100%;\"></p>\n");
        }

        foreach (var section in d.Sections)
        {
            html.Append("<h2 style=\"font-size:17px;border-bottom:1px solid #d8dde0;\">").Append(E(section.Heading)).Append("</h2>\n");
            if (section.Intro is { } intro)
            {
                html.Append("<p>").Append(E(intro)).Append("</p>\n");
            }

            foreach (var card in section.Cards)
            {
                html.Append("<table role=\"presentation\" style=\"border-collapse:collapse;margin:0 0 16px 0;\">\n")
                    .Append("<tr><th colspan=\"2\" style=\"text-align:left;padding:4px 0;\">").Append(E(card.Title)).Append("</th></tr>\n");
                foreach (var line in card.Lines)
                {
                    html.Append("<tr><td style=\"padding:2px 12px 2px 0;color:#4c6272;vertical-align:top;\">").Append(E(line.Label))
                        .Append("</td><td style=\"padding:2px 0;\">").Append(E(line.Value)).Append("</td></tr>\n");
                }

                html.Append("</table>\n");
            }
        }

        foreach (var line in d.Footer)
        {
            html.Append("<p style=\"font-size:12px;color:#4c6272;\">").Append(E(line)).Append("</p>\n");
        }

        return html.Append("</body>\n</html>\n").ToString();
    }

    private static string Text(EmailDocument d)
    {
        var text = new StringBuilder();
        text.Append(OneLine(d.Heading)).Append('\n').Append(new string('=', Math.Min(OneLine(d.Heading).Length, 72))).Append("\n\n");
        foreach (var line in d.Summary)
        {
            text.Append(OneLine(line)).Append('\n');
        }

        if (d.Image is { } image)
        {
            text.Append("\n[Chart: ").Append(OneLine(image.AltText)).Append("]\n");
        }

        foreach (var section in d.Sections)
        {
            text.Append('\n').Append(OneLine(section.Heading)).Append('\n').Append(new string('-', Math.Min(OneLine(section.Heading).Length, 72))).Append('\n');
            if (section.Intro is { } intro)
            {
                text.Append(OneLine(intro)).Append('\n');
            }

            foreach (var card in section.Cards)
            {
                text.Append("\n* ").Append(OneLine(card.Title)).Append('\n');
                foreach (var line in card.Lines)
                {
                    text.Append("  ").Append(OneLine(line.Label)).Append(": ").Append(OneLine(line.Value)).Append('\n');
                }
            }
        }

        text.Append('\n');
        foreach (var line in d.Footer)
        {
            text.Append(OneLine(line)).Append('\n');
        }

        return text.ToString();
    }

    private static string E(string value) => WebUtility.HtmlEncode(OneLine(value));

    /// <summary>Submission-derived text must not break headers or layout: control characters (CR/LF included) become spaces.</summary>
    private static string OneLine(string value) =>
        string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? ' ' : source[i];
            }
        });
}
