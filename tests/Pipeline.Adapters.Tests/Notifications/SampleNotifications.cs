using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Tests.Notifications;

internal static class SampleNotifications
{
    public static readonly DateTimeOffset Created = new(2026, 11, 20, 9, 30, 0, TimeSpan.Zero);

    /// <summary>A smallest valid PNG (1×1, transparent): enough to prove the inline part travels intact.</summary>
    public static readonly byte[] TinyPng = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static Notification Alert(string id = "0123456789abcdef0123456789abcdef", DateTimeOffset? created = null) => new()
    {
        Id = id,
        Kind = NotificationKind.Alerts,
        Recipients = [new Recipient("GM lead", "gm.lead@nhs.example"), new Recipient("GM analyst", "gm.analyst@nhs.example")],
        Subject = "Maternity equity alerts: Greater Manchester LMNS (QOP), 2026-10: 1 new, 0 escalated, 0 resolved",
        Html = "<html><body><p>One new alert.</p><img src=\"cid:forest-plot\" alt=\"chart\"></body></html>",
        Text = "One new alert.",
        InlineImages = [new InlineImage("forest-plot", "forest-plot.png", "image/png", TinyPng)],
        CreatedAt = created ?? Created,
        NextAttemptAt = created ?? Created,
    };
}
