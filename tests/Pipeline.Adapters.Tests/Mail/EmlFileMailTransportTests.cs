using MimeKit;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Tests.Notifications;

namespace Pipeline.Adapters.Tests.Mail;

public sealed class EmlFileMailTransportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"eml-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Without_an_smtp_host_each_notification_is_written_as_outbox_id_eml_and_reads_back()
    {
        var transport = MailTransports.FromOptions(new MailOptions { OutboxDirectory = _directory });
        var notification = SampleNotifications.Alert();

        await transport.SendAsync(notification, TestContext.Current.CancellationToken);

        var path = Path.Combine(_directory, $"{notification.Id}.eml");
        var message = await MimeMessage.LoadAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(notification.Subject, message.Subject);
        Assert.Equal($"{notification.Id}@maternity-equity.pipeline", message.MessageId);
        Assert.Equal(notification.Text, message.TextBody!.TrimEnd());
        Assert.Single(message.BodyParts.OfType<MimePart>(), p => p.ContentId == "forest-plot");
    }

    [Fact]
    public async Task Sending_again_overwrites_the_same_file_and_leaves_no_temporary_files()
    {
        var transport = new EmlFileMailTransport(new MailOptions { OutboxDirectory = _directory });

        await transport.SendAsync(SampleNotifications.Alert(), TestContext.Current.CancellationToken);
        await transport.SendAsync(SampleNotifications.Alert(), TestContext.Current.CancellationToken);

        Assert.Equal(["0123456789abcdef0123456789abcdef.eml"], Directory.GetFiles(_directory).Select(Path.GetFileName));
    }
}
