using MimeKit;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Tests.Notifications;

namespace Pipeline.Adapters.Tests.Mail;

public class NotificationMimeTests
{
    private static readonly MailOptions Options = new() { FromAddress = "equity@region.example", MessageIdDomain = "equity.region.example" };

    [Fact]
    public void The_message_is_text_and_html_alternatives_with_the_chart_inline_in_the_html_part()
    {
        var message = NotificationMime.Build(SampleNotifications.Alert(), Options);

        var alternative = Assert.IsType<MultipartAlternative>(message.Body);
        Assert.Equal("text/plain", alternative[0].ContentType.MimeType);
        var related = Assert.IsType<MultipartRelated>(alternative[1]);
        Assert.Equal("text/html", related[0].ContentType.MimeType);
        var image = Assert.IsType<MimePart>(related[1]);
        Assert.Equal(("image/png", "forest-plot"), (image.ContentType.MimeType, image.ContentId));
        using var decoded = new MemoryStream();
        image.Content!.DecodeTo(decoded, TestContext.Current.CancellationToken);
        Assert.Equal(SampleNotifications.TinyPng, decoded.ToArray());
    }

    [Fact]
    public void Message_id_and_date_come_from_the_notification_so_every_attempt_is_the_same_message()
    {
        var first = NotificationMime.Build(SampleNotifications.Alert(), Options);
        var second = NotificationMime.Build(SampleNotifications.Alert(), Options);

        Assert.Equal("0123456789abcdef0123456789abcdef@equity.region.example", first.MessageId);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(SampleNotifications.Created, first.Date);
        Assert.Equal(["gm.lead@nhs.example", "gm.analyst@nhs.example"], first.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("equity@region.example", first.From.Mailboxes.Single().Address);
    }
}
