using MimeKit;
using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Mail;

/// <summary>
/// Builds the MIME message for a notification: multipart/alternative with the plain text first and, last (preferred),
/// multipart/related holding the HTML and its inline images. The Message-Id and Date come from the notification, so
/// every attempt to send it produces the same message identity.
/// </summary>
public static class NotificationMime
{
    public static MimeMessage Build(Notification notification, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(options);
        var message = new MimeMessage
        {
            Subject = notification.Subject,
            MessageId = MessageIdFor(notification.Id, options),
            Date = notification.CreatedAt,
        };
        message.From.Add(new MailboxAddress(options.FromName, options.FromAddress));
        foreach (var recipient in notification.Recipients)
        {
            message.To.Add(new MailboxAddress(recipient.Name, recipient.Email));
        }

        message.Headers.Add("X-Pipeline-Notification-Id", notification.Id);
        var body = new BodyBuilder { TextBody = notification.Text, HtmlBody = notification.Html };
        foreach (var image in notification.InlineImages)
        {
            var part = body.LinkedResources.Add(image.FileName, image.Content.ToArray(), ContentType.Parse(image.MediaType));
            part.ContentId = image.ContentId;
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The Message-Id (without angle brackets) of a notification: its id at the configured domain.</summary>
    public static string MessageIdFor(string notificationId, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return $"{notificationId}@{options.MessageIdDomain}";
    }
}
