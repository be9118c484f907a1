using Pipeline.Adapters.Notifications;
using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Tests.Notifications;

/// <summary>
/// What every outbox must do, whatever stores it. The SQL outbox derives from this class to run the same tests.
/// </summary>
public abstract class NotificationOutboxContract
{
    private static readonly DateTimeOffset Now = SampleNotifications.Created;

    protected abstract Task<INotificationOutbox> CreateAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Adding_the_same_notification_id_twice_keeps_one_row()
    {
        var outbox = await CreateAsync();

        Assert.True(await outbox.AddAsync(SampleNotifications.Alert(), Ct));
        Assert.False(await outbox.AddAsync(SampleNotifications.Alert() with { Subject = "changed" }, Ct));

        Assert.Equal(SampleNotifications.Alert().Subject, (await outbox.FindAsync(SampleNotifications.Alert().Id, Ct))!.Subject);
        Assert.Single(await outbox.ListDueAsync(Now, 10, Ct));
    }

    [Fact]
    public async Task A_stored_notification_reads_back_whole_including_its_inline_image()
    {
        var outbox = await CreateAsync();
        var notification = SampleNotifications.Alert();

        await outbox.AddAsync(notification, Ct);
        var stored = (await outbox.FindAsync(notification.Id, Ct))!;

        Assert.Equal((notification.Subject, notification.Html, notification.Text, notification.Kind), (stored.Subject, stored.Html, stored.Text, stored.Kind));
        Assert.Equal(notification.Recipients, stored.Recipients);
        var image = Assert.Single(stored.InlineImages);
        Assert.Equal(SampleNotifications.TinyPng, image.Content.ToArray());
        Assert.Equal((NotificationStatus.Pending, 0), (stored.Status, stored.Attempts));
    }

    [Fact]
    public async Task Only_pending_notifications_that_are_due_are_listed_earliest_first()
    {
        var outbox = await CreateAsync();
        await outbox.AddAsync(SampleNotifications.Alert("b", Now.AddMinutes(-1)), Ct);
        await outbox.AddAsync(SampleNotifications.Alert("a", Now.AddMinutes(-5)), Ct);
        await outbox.AddAsync(SampleNotifications.Alert("later", Now.AddMinutes(5)), Ct);
        await outbox.AddAsync(SampleNotifications.Alert("sent", Now.AddMinutes(-9)), Ct);
        await outbox.MarkSentAsync("sent", Now, Ct);

        Assert.Equal(["a", "b"], (await outbox.ListDueAsync(Now, 10, Ct)).Select(n => n.Id));
        Assert.Equal(["a"], (await outbox.ListDueAsync(Now, 1, Ct)).Select(n => n.Id));
    }

    [Fact]
    public async Task A_failure_is_recorded_with_its_reason_and_the_notification_waits_for_its_next_attempt()
    {
        var outbox = await CreateAsync();
        await outbox.AddAsync(SampleNotifications.Alert(), Ct);

        await outbox.MarkFailedAsync(SampleNotifications.Alert().Id, "SocketException: Connection refused", Now.AddMinutes(1), Ct);

        var row = (await outbox.FindAsync(SampleNotifications.Alert().Id, Ct))!;
        Assert.Equal((NotificationStatus.Pending, 1, "SocketException: Connection refused", Now.AddMinutes(1)),
            (row.Status, row.Attempts, row.LastError, row.NextAttemptAt));
        Assert.Empty(await outbox.ListDueAsync(Now, 10, Ct));
        Assert.Single(await outbox.ListDueAsync(Now.AddMinutes(1), 10, Ct));
    }

    [Fact]
    public async Task Giving_up_marks_the_notification_failed_and_it_is_no_longer_due()
    {
        var outbox = await CreateAsync();
        await outbox.AddAsync(SampleNotifications.Alert(), Ct);

        await outbox.MarkFailedAsync(SampleNotifications.Alert().Id, "AuthenticationException: 535 bad credentials", null, Ct);

        Assert.Equal(NotificationStatus.Failed, (await outbox.FindAsync(SampleNotifications.Alert().Id, Ct))!.Status);
        Assert.Empty(await outbox.ListDueAsync(Now.AddDays(30), 10, Ct));
    }

    [Fact]
    public async Task Marking_sent_records_when_and_clears_the_last_error()
    {
        var outbox = await CreateAsync();
        await outbox.AddAsync(SampleNotifications.Alert(), Ct);
        await outbox.MarkFailedAsync(SampleNotifications.Alert().Id, "timeout", Now, Ct);

        await outbox.MarkSentAsync(SampleNotifications.Alert().Id, Now.AddMinutes(2), Ct);

        var row = (await outbox.FindAsync(SampleNotifications.Alert().Id, Ct))!;
        Assert.Equal((NotificationStatus.Sent, 2, (string?)null, (DateTimeOffset?)Now.AddMinutes(2)), (row.Status, row.Attempts, row.LastError, row.SentAt));
    }
}

public class InMemoryNotificationOutboxTests : NotificationOutboxContract
{
    protected override Task<INotificationOutbox> CreateAsync() => Task.FromResult<INotificationOutbox>(new InMemoryNotificationOutbox());
}
