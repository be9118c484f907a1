using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Store;
using Pipeline.App.Configuration;
using Pipeline.App.Hosting;
using Pipeline.Core.Alerts.Routing;
using Pipeline.Core.Model;
using Pipeline.Tests.Shared;

namespace Pipeline.Functions.Tests;

/// <summary>
/// Each function class built by dependency injection from the host's own registration (<c>AddPipelineHosting</c>, as
/// Program.cs) and called as the worker calls it: the blob trigger with a real <see cref="BlobClient"/> on Azurite, the
/// timers with a <see cref="TimerInfo"/>. The store is SQLite in a fresh data directory, so "the first function to run on
/// an empty database" is the real case.
/// </summary>
public sealed class FunctionInvocationTests(AzuriteServer azurite) : IClassFixture<AzuriteServer>, IDisposable
{
    // 20 November 2026, 07:00 UTC: October's deadline (15 November) has passed, so October is checked for late trusts.
    private static readonly DateTimeOffset Morning = new(2026, 11, 20, 7, 0, 0, TimeSpan.Zero);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("pipeline-functions-").FullName;
    private readonly FakeTimeProvider _time = new(Morning);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string DatabasePath => Path.Combine(_dataDirectory, SqliteStore.FileName);

    [Fact]
    public async Task A_blob_event_for_a_trust_upload_is_processed_and_its_receipt_reaches_the_outbox_container()
    {
        azurite.SkipUnlessAvailable();
        // The trigger watches the container literally named "submissions", so this test uses no container prefix.
        using var provider = Host(containerPrefix: string.Empty);
        var service = new BlobServiceClient(azurite.ConnectionString);
        await service.GetBlobContainerClient("outbox").DeleteBlobIfExistsAsync("dispatch-due", cancellationToken: Ct);
        var submission = SampleSubmissions.Typical("R0A", new Period(2026, 10), seed: 3) with { SubmittedBy = "analyst@r0a.nhs.example" };
        var blob = service.GetBlobContainerClient("submissions").GetBlobClient("R0A/2026-10/equity.json");
        await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: Ct);
        await blob.UploadAsync(new BinaryData(SampleSubmissions.ToJson(submission)), overwrite: true, Ct);

        await Create<ProcessSubmission>(provider).RunAsync(blob, Ct);

        var current = await provider.GetRequiredService<IPipelineStore>().FindCurrentAsync("R0A", new Period(2026, 10), Ct);
        Assert.Equal(SubmissionStatus.Accepted, current?.Status);
        Assert.True((await service.GetBlobContainerClient("outbox").GetBlobClient("dispatch-due").ExistsAsync(Ct)).Value, "the upload queued a receipt, so the outbox signal is raised");

        await Create<DispatchNotifications>(provider).RunAsync(new TimerInfo(), Ct);

        var emails = await EmailsAsync(service.GetBlobContainerClient("outbox"));
        var receipt = Assert.Single(emails, m => m.To.Mailboxes.Any(a => a.Address == "analyst@r0a.nhs.example"));
        Assert.Contains("R0A", receipt.Subject ?? string.Empty, StringComparison.Ordinal);
        Assert.False((await service.GetBlobContainerClient("outbox").GetBlobClient("dispatch-due").ExistsAsync(Ct)).Value, "sent, so nothing is due");
    }

    [Fact]
    public async Task A_blob_outside_any_trust_folder_is_ignored_without_failing_the_invocation()
    {
        azurite.SkipUnlessAvailable();
        using var provider = Host(containerPrefix: string.Empty);
        var blob = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient("submissions").GetBlobClient("notes.txt");
        await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: Ct);
        await blob.UploadAsync(BinaryData.FromString("not a submission"), overwrite: true, Ct);

        await Create<ProcessSubmission>(provider).RunAsync(blob, Ct);

        Assert.False(File.Exists(DatabasePath), "nothing was processed, so the store was never opened");
    }

    [Fact]
    public async Task The_timers_run_first_on_an_empty_database_and_create_the_schema()
    {
        using var provider = Host(containerPrefix: null);

        await Create<CheckLateSubmissions>(provider).RunAsync(new TimerInfo { IsPastDue = true }, Ct);
        SqliteConnection.ClearAllPools();
        Assert.True(File.Exists(DatabasePath));
        File.Delete(DatabasePath);
        File.Delete(DatabasePath + "-wal");
        File.Delete(DatabasePath + "-shm");

        using var second = Host(containerPrefix: null);
        await Create<DispatchNotifications>(second).RunAsync(new TimerInfo(), Ct);

        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from sqlite_master where type = 'table' and name in ('submission', 'notification', 'contact', 'alert')";
        Assert.Equal(4L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task The_late_check_routes_to_contacts_kept_in_the_store_and_the_email_lands_in_the_outbox_container()
    {
        azurite.SkipUnlessAvailable();
        var prefix = AzuriteServer.NewContainerPrefix();
        using var provider = Host(prefix);
        var services = provider.GetRequiredService<PipelineServices>();
        await services.Store.MigrateAsync(Ct);
        await services.Contacts.ReplaceAllAsync([new Contact(ContactScope.Default, "*", "Regional lead", "regional.lead@nhs.example")], Ct);
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "contacts.csv")));

        await Create<CheckLateSubmissions>(provider).RunAsync(new TimerInfo(), Ct);
        await Create<DispatchNotifications>(provider).RunAsync(new TimerInfo(), Ct);

        var emails = await EmailsAsync(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(prefix + "outbox"));
        Assert.NotEmpty(emails);
        Assert.All(emails, m => Assert.Equal(["regional.lead@nhs.example"], m.To.Mailboxes.Select(a => a.Address)));
        // October's digest, released by the check after its deadline, lists the missing trusts.
        Assert.Contains(emails, m => m.Subject is { } subject
                                     && subject.StartsWith("Maternity equity digest: ", StringComparison.Ordinal)
                                     && subject.Contains("October 2026", StringComparison.Ordinal)
                                     && subject.Contains("missing", StringComparison.Ordinal));
        Assert.Empty(await services.Outbox.ListDueAsync(_time.GetUtcNow(), 10, Ct));
    }

    [Fact]
    public async Task Without_mail_due_the_dispatch_timer_leaves_the_database_unopened()
    {
        azurite.SkipUnlessAvailable();
        var prefix = AzuriteServer.NewContainerPrefix();
        using var provider = Host(prefix);
        var signal = provider.GetRequiredService<BlobOutboxSignal>();
        var dispatch = Create<DispatchNotifications>(provider);

        await dispatch.RunAsync(new TimerInfo(), Ct);
        Assert.False(File.Exists(DatabasePath), "no signal: SQL not opened");

        await signal.RaiseAsync(Morning.AddMinutes(30), Ct);
        await dispatch.RunAsync(new TimerInfo(), Ct);
        Assert.False(File.Exists(DatabasePath), "mail due later: SQL not opened yet");

        _time.Advance(TimeSpan.FromMinutes(31));
        await dispatch.RunAsync(new TimerInfo(), Ct);
        Assert.True(File.Exists(DatabasePath), "due: the timer opened (and migrated) the store");
        Assert.Null(await signal.ReadAsync(Ct));
    }

    [Fact]
    public async Task A_failed_send_leaves_the_signal_at_the_retry_time_and_the_timer_waits_for_it()
    {
        azurite.SkipUnlessAvailable();
        var prefix = AzuriteServer.NewContainerPrefix();
        // A relay nobody listens on: every send fails and is retried later.
        using var provider = Host(prefix, new() { ["Pipeline:Mail:SmtpHost"] = "127.0.0.1", ["Pipeline:Mail:SmtpPort"] = LocalServers.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), ["Pipeline:Mail:TimeoutSeconds"] = "5" });
        var services = provider.GetRequiredService<PipelineServices>();
        await services.Store.MigrateAsync(Ct);
        var notification = new Pipeline.Core.Notifications.Notification
        {
            Id = "0123456789abcdef0123456789abcdef",
            Kind = Pipeline.Core.Notifications.NotificationKind.Alerts,
            Recipients = [new Pipeline.Core.Notifications.Recipient("Lead", "lead@nhs.example")],
            Subject = "Maternity equity alerts",
            Html = "<p>One new alert.</p>",
            Text = "One new alert.",
            CreatedAt = Morning,
            NextAttemptAt = Morning,
        };
        await services.Outbox.AddAsync(notification, Ct);
        var signal = provider.GetRequiredService<BlobOutboxSignal>();
        await signal.RaiseAsync(Morning, Ct);
        var dispatch = Create<DispatchNotifications>(provider);

        await dispatch.RunAsync(new TimerInfo(), Ct);

        var failed = await services.Outbox.FindAsync(notification.Id, Ct);
        Assert.Equal((1, Pipeline.Core.Notifications.NotificationStatus.Pending), (failed!.Attempts, failed.Status));
        Assert.Equal(failed.NextAttemptAt, (await signal.ReadAsync(Ct))?.DueAt);
        Assert.True(failed.NextAttemptAt > _time.GetUtcNow());

        await dispatch.RunAsync(new TimerInfo(), Ct);
        Assert.Equal(1, (await services.Outbox.FindAsync(notification.Id, Ct))!.Attempts);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static T Create<T>(IServiceProvider provider) => ActivatorUtilities.CreateInstance<T>(provider);

    /// <summary>The Functions host's registration over a configuration like its app settings: Blob (Azurite) when a prefix is given, else the data directory.</summary>
    private ServiceProvider Host(string? containerPrefix, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { [StorageConfiguration.DataDirectoryKey] = _dataDirectory };
        if (containerPrefix is not null)
        {
            settings[StorageConfiguration.ConnectionStringKey] = azurite.ConnectionString;
            settings[StorageConfiguration.ContainerPrefixKey] = containerPrefix;
        }

        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(_time);
        services.AddPipelineHosting(configuration);
        var provider = services.BuildServiceProvider();
        provider.ValidatePipelineHosting();
        return provider;
    }

    private static async Task<List<MimeMessage>> EmailsAsync(BlobContainerClient outbox)
    {
        var messages = new List<MimeMessage>();
        await foreach (var item in outbox.GetBlobsAsync(cancellationToken: Ct))
        {
            if (item.Name.EndsWith(".eml", StringComparison.Ordinal))
            {
                var content = (await outbox.GetBlobClient(item.Name).DownloadContentAsync(Ct)).Value.Content;
                messages.Add(await MimeMessage.LoadAsync(content.ToStream(), Ct));
            }
        }

        return messages;
    }
}
