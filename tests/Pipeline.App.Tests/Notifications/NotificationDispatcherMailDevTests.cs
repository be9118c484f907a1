using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Adapters.Charts;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.App.Notifications;
using Pipeline.Core.Text.AlertEmails;
using Pipeline.Core.Notifications;
using Pipeline.Core.Reference;
using Pipeline.Core.Tests.Alerts;
using Pipeline.Core.Tests.Alerts.Rendering;
using Pipeline.Tests.Shared;

namespace Pipeline.App.Tests.Notifications;

/// <summary>End to end through a real SMTP server (MailDev): compose → outbox → dispatcher → MailKit → MailDev → REST API.</summary>
public sealed class NotificationDispatcherMailDevTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly InMemoryNotificationOutbox _outbox = new();
    private MailDevServer? _mailDev;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MailDevServer MailDev => _mailDev ?? throw new InvalidOperationException("MailDev did not start");

    public async ValueTask InitializeAsync()
    {
        if (MailDevServer.Unavailable is null)
        {
            _mailDev = await MailDevServer.StartNewAsync(Ct);
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
    public async Task The_alert_email_arrives_with_its_subject_recipients_html_and_text_parts_and_the_inline_chart()
    {
        SkipWithoutMailDev();
        var notification = await EnqueueOctoberAsync();

        var result = await Dispatcher().DispatchDueAsync(Ct);

        Assert.Equal(new DispatchResult(1, 0, 0), result);
        var mail = Assert.Single(await MailDev.EmailsAsync(Ct));
        Assert.Equal(
            "Maternity equity digest: Greater Manchester LMNS (QOP), October 2026: "
            + "1 new, 1 escalated, 1 resolved, 1 reminder, 1 data-quality problem, 1 missing submission",
            mail.GetProperty("subject").GetString());
        Assert.Equal(["gm.lmns.lead@nhs.example", "gm.lmns.analyst@nhs.example"], mail.GetProperty("to").EnumerateArray().Select(t => t.GetProperty("address").GetString()));
        Assert.Equal($"<{notification.Id}@maternity-equity.pipeline>", mail.GetProperty("headers").GetProperty("message-id").GetString());
        // MailDev resolves cid: references to their inline parts, so the data URL proves the HTML points at the chart.
        Assert.Contains("<img src=\"data:image/png;base64,iVBORw0KGgo", mail.GetProperty("html").GetString(), StringComparison.Ordinal);
        // R0A's Black stillbirths rest on 6 events: the ratio is withheld (docs/disclosure.md); the IMD one is published.
        Assert.Contains("Ratio to reference: not shown (fewer than 8 events)", mail.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("Ratio to reference: 3.18; 95% CI 2.57 to 3.94", mail.GetProperty("text").GetString(), StringComparison.Ordinal);
        var chart = Assert.Single(mail.GetProperty("attachments").EnumerateArray());
        Assert.Equal("image/png", chart.GetProperty("contentType").GetString());
        Assert.Equal("forest-plot", chart.GetProperty("contentId").GetString());
        Assert.True(chart.GetProperty("size").GetInt32() > 5_000);
        Assert.Equal(NotificationStatus.Sent, (await _outbox.FindAsync(notification.Id, Ct))!.Status);
    }

    [Fact]
    public async Task No_count_between_1_and_7_reaches_the_recipients_in_either_part()
    {
        SkipWithoutMailDev();
        await EnqueueOctoberAsync();

        await Dispatcher().DispatchDueAsync(Ct);

        var mail = Assert.Single(await MailDev.EmailsAsync(Ct));
        foreach (var part in new[] { mail.GetProperty("html").GetString()!, mail.GetProperty("text").GetString()! })
        {
            Assert.True(DisclosureScan.Counts(part).Count >= 8, "the scan found too few counts to be looking at the email body");
            Assert.Empty(DisclosureScan.Violations(part));
        }
    }

    [Fact]
    public async Task While_the_mail_server_is_down_notifications_stay_pending_with_the_reason_and_go_out_once_it_is_back()
    {
        SkipWithoutMailDev();
        var notification = await EnqueueOctoberAsync();
        await MailDev.StopAsync();

        var down = await Dispatcher().DispatchDueAsync(Ct);

        Assert.Equal(new DispatchResult(0, 1, 0), down);
        var pending = (await _outbox.FindAsync(notification.Id, Ct))!;
        Assert.Equal((NotificationStatus.Pending, 1), (pending.Status, pending.Attempts));
        Assert.Contains("SocketException", pending.LastError, StringComparison.Ordinal);
        Assert.Equal(_time.GetUtcNow().AddMinutes(1), pending.NextAttemptAt);
        Assert.Equal(0, (await Dispatcher().DispatchDueAsync(Ct)).Attempted); // backing off: not due yet

        await MailDev.StartAsync(Ct);
        _time.Advance(TimeSpan.FromMinutes(1));
        var back = await Dispatcher().DispatchDueAsync(Ct);

        Assert.Equal(new DispatchResult(1, 0, 0), back);
        Assert.Single(await MailDev.EmailsAsync(Ct));
        var sent = (await _outbox.FindAsync(notification.Id, Ct))!;
        Assert.Equal((NotificationStatus.Sent, 2, (string?)null), (sent.Status, sent.Attempts, sent.LastError));
    }

    /// <summary>
    /// SMTP has no idempotent submit: if the process dies after the server accepted the message and before the outbox
    /// row is marked sent, the next drain sends it again. What the recipient gets is the same message twice: same
    /// Message-Id, subject, date and bodies. Clients that de-duplicate by Message-Id (Gmail does; Thunderbird can) show
    /// one; others show two identical copies. It is never a different, contradicting email.
    /// </summary>
    [Fact]
    public async Task A_crash_after_sending_resends_the_same_message_with_the_same_message_id()
    {
        SkipWithoutMailDev();
        var crashing = new CrashAfterSendOutbox(_outbox);
        var notification = await EnqueueOctoberAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => Dispatcher(crashing).DispatchDueAsync(Ct));
        Assert.Equal(NotificationStatus.Pending, (await _outbox.FindAsync(notification.Id, Ct))!.Status);

        var restarted = await Dispatcher().DispatchDueAsync(Ct);

        Assert.Equal(1, restarted.Sent);
        var mails = await MailDev.EmailsAsync(Ct);
        Assert.Equal(2, mails.Count);
        string Identity(JsonElement m) => string.Join("\n",
            m.GetProperty("headers").GetProperty("message-id").GetString(), m.GetProperty("time").GetString(),
            m.GetProperty("subject").GetString(), m.GetProperty("html").GetString(), m.GetProperty("text").GetString());
        Assert.Equal(Identity(mails[0]), Identity(mails[1]));
        Assert.Equal($"<{notification.Id}@maternity-equity.pipeline>", mails[1].GetProperty("headers").GetProperty("message-id").GetString());
    }

    [Fact]
    public async Task Processing_the_same_run_again_adds_no_second_notification_and_sends_nothing_more()
    {
        SkipWithoutMailDev();
        await EnqueueOctoberAsync();
        await Dispatcher().DispatchDueAsync(Ct);

        var added = await _outbox.AddAsync(Composer().ForAlerts(AlertEmailExample.OctoberGroup(), _time.GetUtcNow()), Ct);
        var again = await Dispatcher().DispatchDueAsync(Ct);

        Assert.False(added);
        Assert.Equal(0, again.Attempted);
        Assert.Single(await MailDev.EmailsAsync(Ct));
    }

    private void SkipWithoutMailDev()
    {
        if (MailDevServer.Unavailable is { } why)
        {
            Assert.Skip(why);
        }
    }

    private async Task<Notification> EnqueueOctoberAsync()
    {
        var notification = Composer().ForAlerts(AlertEmailExample.OctoberGroup(), _time.GetUtcNow());
        Assert.True(await _outbox.AddAsync(notification, Ct));
        return notification;
    }

    private static NotificationComposer Composer() => new(new AlertEmailRenderer(ReferenceData.Embedded), ForestPlotRenderer.RenderPng);

    private NotificationDispatcher Dispatcher(INotificationOutbox? outbox = null) => new(
        outbox ?? _outbox,
        new SmtpMailTransport(new MailOptions { SmtpHost = "127.0.0.1", SmtpPort = MailDev.SmtpPort, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(5) }),
        _time,
        NullLogger<NotificationDispatcher>.Instance);

    /// <summary>Simulates the process dying between the SMTP server accepting the message and the outbox row being updated.</summary>
    private sealed class CrashAfterSendOutbox(INotificationOutbox inner) : INotificationOutbox
    {
        public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken) => inner.AddAsync(notification, cancellationToken);

        public Task<Notification?> FindAsync(string id, CancellationToken cancellationToken) => inner.FindAsync(id, cancellationToken);

        public Task<IReadOnlyList<Notification>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
            inner.ListDueAsync(now, limit, cancellationToken);

        public Task MarkSentAsync(string id, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("simulated crash: the process died before recording the send");

        public Task MarkFailedAsync(string id, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
            inner.MarkFailedAsync(id, error, nextAttemptAt, cancellationToken);
    }
}
