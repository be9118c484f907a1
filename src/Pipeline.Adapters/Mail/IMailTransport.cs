using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Mail;

/// <summary>Delivers one notification. Throws when it could not (the dispatcher records the reason and retries later).</summary>
public interface IMailTransport
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}

public static class MailTransports
{
    /// <summary>SMTP when a host is configured, otherwise <c>.eml</c> files in the outbox folder.</summary>
    public static IMailTransport FromOptions(MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.SmtpHost)
            ? new EmlFileMailTransport(options)
            : new SmtpMailTransport(options);
    }
}
