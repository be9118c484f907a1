namespace Pipeline.Core.Notifications;

public enum NotificationStatus
{
    /// <summary>Waiting to be sent (new, or after a failed attempt until <see cref="Notification.NextAttemptAt"/>).</summary>
    Pending,

    Sent,

    /// <summary>Gave up after the retry policy's last attempt; an operator must look at <see cref="Notification.LastError"/>.</summary>
    Failed,
}

public enum NotificationKind
{
    Alerts,
    Receipt,
}

public sealed record Recipient(string Name, string Email);

/// <summary>An image shown inside the HTML body (<c>&lt;img src="cid:{ContentId}"&gt;</c>).</summary>
public sealed record InlineImage(string ContentId, string FileName, string MediaType, ReadOnlyMemory<byte> Content);

/// <summary>
/// One email in the outbox. Its <see cref="Id"/> is derived from what it says (the alert changes of a run, or the
/// submission of a receipt), so processing the same thing again produces the same id and the outbox keeps one row; the
/// Message-Id header is derived from it too, so a resend after a crash is recognisably the same message.
/// </summary>
public sealed record Notification
{
    public required string Id { get; init; }

    public required NotificationKind Kind { get; init; }

    public required IReadOnlyList<Recipient> Recipients { get; init; }

    public required string Subject { get; init; }

    public required string Html { get; init; }

    public required string Text { get; init; }

    public IReadOnlyList<InlineImage> InlineImages { get; init; } = [];

    public required DateTimeOffset CreatedAt { get; init; }

    public NotificationStatus Status { get; init; } = NotificationStatus.Pending;

    public int Attempts { get; init; }

    public required DateTimeOffset NextAttemptAt { get; init; }

    public string? LastError { get; init; }

    public DateTimeOffset? SentAt { get; init; }
}
