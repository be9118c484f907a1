using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Mail;

/// <summary>
/// "Sends" by writing <c>{outbox}/{notification id}.eml</c> (for a machine with no mail server, or to inspect output).
/// The file is written to a temporary name and moved into place, so a reader never sees half a message; a resend
/// overwrites the same file.
/// </summary>
public sealed class EmlFileMailTransport(MailOptions options) : IMailTransport
{
    public string PathFor(string notificationId) => Path.Combine(options.OutboxDirectory, $"{notificationId}.eml");

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Directory.CreateDirectory(options.OutboxDirectory);
        var target = PathFor(notification.Id);
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        var message = NotificationMime.Build(notification, options);
        var stream = File.Create(temporary);
        await using (stream.ConfigureAwait(false))
        {
            await message.WriteToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, target, overwrite: true);
    }
}
