using Pipeline.Core.Alerts;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Text.AlertEmails;

/// <summary>
/// What an alert email asks of the LMNS lead, card by card, and how to do it (docs/alerts.md §5). A lead reads each card as a
/// request: review a divergence with the trust, confirm or chase the data, or acknowledge it by silencing with a reason.
/// </summary>
public static class LeadActions
{
    /// <summary>The "What we ask" line for a card: what to do, then how.</summary>
    /// <param name="silencePattern">The pattern that silences the card (default: the alert's own fingerprint).</param>
    public static string For(AlertNotice notice, string organisationName, string? silencePattern = null)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var fingerprint = notice.Alert.Fingerprint;
        var silence = "To acknowledge it, silence it with a reason: pipeline silence add "
            + $"--match '{silencePattern ?? fingerprint.ToString()}' --reason \"…\" --author \"you\" --days 90 "
            + "(or ask your regional analyst team to).";
        if (notice.Kind == NoticeKind.Resolved)
        {
            return "Nothing is asked: note it at your next equity review. It will be raised again if the rule holds again.";
        }

        var teams = fingerprint.Level == Level.Organisation ? organisationName : "the trusts in " + organisationName;
        return fingerprint.Rule switch
        {
            AlertRule.LateSubmission =>
                $"Ask {organisationName} when its file will arrive; its comparisons for the month wait for it. "
                + "Once the file is accepted this alert is withdrawn.",
            AlertRule.DataQuality when fingerprint == AlertInputs.RejectedSubmissionFingerprint(fingerprint.OrganisationCode) =>
                $"Ask {organisationName} to correct the file and send it again; its receipt lists every error with how to fix it.",
            AlertRule.DataQuality =>
                $"Confirm with {organisationName} why recording is incomplete and when it will improve; "
                + "the comparisons stay withheld until then. " + silence,
            _ =>
                $"Review this with the maternity and data teams of {teams}: is the gap real (case mix, pathways, access), "
                + "a recording or coding problem, or too few events to judge? Agree an action, or confirm the data are wrong. " + silence,
        };
    }
}
