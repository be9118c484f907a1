using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// The Making Data Count icons drawn as small inline SVGs (after NHS England's icon set: a ring in the icon's colour with a
/// miniature chart inside, H or L for a high or low special cause; a target line with P, F or ? for assurance). Each has
/// role="img", an aria-label and a title carrying its meaning in words, and is followed on the page by the same words, so
/// nothing rests on colour or shape alone. Improvement is blue, concern orange, a neutral indicator's difference purple,
/// common cause grey.
/// </summary>
internal static class MdcIconSvg
{
    private const string Frame = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mdc-icon {0}\" viewBox=\"0 0 40 40\" width=\"40\" "
        + "height=\"40\" role=\"img\" aria-label=\"{1}\"><title>{1}</title><desc>{2}</desc>";

    public static string Variation(VariationIcon icon)
    {
        var tone = MdcIcons.Tone(icon);
        var label = EquityReportText.Escape(MdcIcons.Describe(icon));
        var letter = icon switch
        {
            VariationIcon.ImprovementHigh or VariationIcon.ConcernHigh or VariationIcon.NeutralHigh => "H",
            VariationIcon.ImprovementLow or VariationIcon.ConcernLow or VariationIcon.NeutralLow => "L",
            _ => string.Empty,
        };
        // The miniature: five dots, the last two raised (H) or lowered (L) in the icon's colour; level and grey for common cause.
        var lift = letter == "H" ? -5 : letter == "L" ? 4 : 0;
        var dots = string.Concat(Enumerable.Range(0, 5).Select(i =>
        {
            var special = i >= 3 && lift != 0;
            var y = 26 + (special ? lift : (i % 2 == 0 ? -1 : 1));
            return $"<circle class=\"{(special ? "dot special" : "dot")}\" cx=\"{9 + (i * 5.5)}\" cy=\"{y}\" r=\"2.2\"/>";
        }));
        var text = letter.Length == 0 ? string.Empty : $"<text class=\"mdc-letter\" x=\"20\" y=\"14\" "
            + $"text-anchor=\"middle\">{letter}</text>";
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, Frame, $"variation {tone}", label,
            "Making Data Count variation icon") +
            $"<circle class=\"ring\" cx=\"20\" cy=\"20\" r=\"17.5\"/>{dots}{text}</svg>";
    }

    public static string Assurance(AssuranceIcon icon, string target)
    {
        var (tone, letter) = icon switch
        {
            AssuranceIcon.ConsistentlyPass => ("improvement", "P"),
            AssuranceIcon.ConsistentlyFail => ("concern", "F"),
            AssuranceIcon.HitAndMiss => ("common", "?"),
            _ => ("neutral", "–"),
        };
        var label = EquityReportText.Escape(MdcIcons.Describe(icon, target));
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, Frame, $"assurance {tone}", label,
            "Making Data Count assurance icon") +
            "<circle class=\"ring\" cx=\"20\" cy=\"20\" r=\"17.5\"/><line class=\"target\" x1=\"7\" y1=\"27\" x2=\"33\" y2=\"27\"/>" +
            $"<text class=\"mdc-letter\" x=\"20\" y=\"22\" text-anchor=\"middle\">{letter}</text></svg>";
    }
}
