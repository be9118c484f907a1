using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Notifications;
using Pipeline.Core.Text.Email;

namespace Pipeline.App.Notifications;

/// <summary>
/// Turns rendered content into outbox rows: an alert group's email with its forest plot drawn as an inline PNG, or a
/// submitter's receipt. The chart is drawn here (not at send time) so the outbox row is complete and a resend is identical.
/// </summary>
public sealed class NotificationComposer(AlertEmailRenderer renderer, Func<ForestPlot, byte[]> drawChart)
{
    public Notification ForAlerts(AlertEmailGroup group, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(group);
        var email = renderer.Render(group);
        IReadOnlyList<InlineImage> images = email.Plot is { } plot
            ? [new InlineImage(ForestPlot.ContentId, ForestPlot.FileName, "image/png", drawChart(plot))]
            : [];
        return Pending(group.NotificationId, NotificationKind.Alerts, group.Recipients, email.Email, now) with { InlineImages = images };
    }

    public static Notification ForReceipt(SubmissionReceipt receipt, Recipient submitter, DateTimeOffset now) =>
        Pending(ReceiptEmailRenderer.NotificationIdFor(receipt), NotificationKind.Receipt, [submitter], ReceiptEmailRenderer.Render(receipt), now);

    private static Notification Pending(string id, NotificationKind kind, IReadOnlyList<Recipient> recipients, RenderedEmail email, DateTimeOffset now) => new()
    {
        Id = id,
        Kind = kind,
        Recipients = recipients,
        Subject = email.Subject,
        Html = email.Html,
        Text = email.Text,
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
