using Pipeline.Adapters.Storage;
using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Mail;

/// <summary>
/// "Sends" by writing <c>outbox/{notification id}.eml</c> to the object store: in Azure (Blob Storage, no SMTP relay
/// configured) that is the data account's <c>outbox</c> container, where the platform team can read or forward the
/// messages until mail is agreed. The store writes atomically; a resend overwrites the same object.
/// </summary>
public sealed class ObjectStoreMailTransport(IObjectStore objects, MailOptions options) : IMailTransport
{
    public const string Area = "outbox";

    public static string KeyFor(string notificationId) => $"{Area}/{notificationId}.eml";

    public async Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var message = NotificationMime.Build(notification, options);
        using var buffer = new MemoryStream();
        await message.WriteToAsync(buffer, cancellationToken).ConfigureAwait(false);
        buffer.Position = 0;
        await objects.WriteAsync(KeyFor(notification.Id), buffer, cancellationToken).ConfigureAwait(false);
    }
}
