using Pipeline.Adapters.Mail;
using Pipeline.Core.Notifications;
using Pipeline.Tests.Shared;
using static Pipeline.App.Tests.Notifications.SmtpReceiptBed;

namespace Pipeline.App.Tests.Notifications;

/// <summary>SMTP basic authentication against a MailDev that requires it (<c>--incoming-user/--incoming-pass</c>).</summary>
public sealed class SmtpAuthenticationTests : IAsyncLifetime
{
    private readonly SmtpReceiptBed _bed = new();
    private MailDevServer? _mailDev;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (MailDevServer.Unavailable is null)
        {
            _mailDev = await MailDevServer.StartNewAsync(Ct, "--incoming-user", User, "--incoming-pass", Password);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_mailDev is not null)
        {
            await _mailDev.DisposeAsync();
        }
    }

    [Fact]
    public async Task With_the_right_credentials_the_receipt_is_delivered_to_the_submitter()
    {
        var mailDev = Require(_mailDev);
        var receipt = await _bed.EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, Password).DispatchDueAsync(Ct);

        Assert.Equal(1, result.Sent);
        var mail = Assert.Single(await mailDev.EmailsAsync(Ct));
        Assert.Equal(Subject, mail.GetProperty("subject").GetString());
        Assert.Equal("analyst@mft.example", mail.GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(NotificationStatus.Sent, (await _bed.Outbox.FindAsync(receipt.Id, Ct))!.Status);
    }

    [Fact]
    public async Task With_wrong_credentials_the_failure_is_recorded_with_the_servers_reason_and_nothing_is_delivered()
    {
        var mailDev = Require(_mailDev);
        var receipt = await _bed.EnqueueReceiptAsync();

        var result = await Dispatcher(mailDev, "wrong").DispatchDueAsync(Ct);

        Assert.Equal(1, result.Retrying);
        await _bed.AssertHeldBackAsync(receipt, mailDev, "AuthenticationException");
    }

    private App.Notifications.NotificationDispatcher Dispatcher(MailDevServer mailDev, string password) =>
        _bed.Dispatcher(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = mailDev.SmtpPort, Security = SmtpSecurity.None }, password);
}
