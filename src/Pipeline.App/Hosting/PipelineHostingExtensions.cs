using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Pipeline.Adapters.Mail;
using Pipeline.Adapters.Notifications;
using Pipeline.Adapters.Storage;
using Pipeline.App.Configuration;
using Pipeline.App.Drop;
using Pipeline.App.Notifications;
using Pipeline.App.Processing;

namespace Pipeline.App.Hosting;

/// <summary>Configuration-to-adapters wiring shared by every host (CLI, Azure Functions), so hosts only wire.</summary>
public static class PipelineHostingExtensions
{
    /// <summary>
    /// The hosts' registration: the object store chosen by <see cref="StorageConfiguration"/>, the composition root, the mail
    /// transport and dispatcher, each function's entry point making sure of the schema first (<see cref="StoreSchemaGate"/>).
    /// With Blob Storage an upload's invocation drains the drop under the blob-lease drain lock (<see cref="DrainingSubmissionIntake"/>).
    /// With Blob Storage and no SMTP relay, <c>.eml</c> files go to the <c>outbox</c> container and the dispatch timer opens SQL
    /// only when the outbox signal says mail is due (<see cref="SignalledNotificationPump"/>).
    /// </summary>
    public static IServiceCollection AddPipelineHosting(
        this IServiceCollection services, IConfiguration configuration, PipelineServiceOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var objects = StorageConfiguration.CreateObjectStore(configuration);
        services.TryAddSingleton(objects);
        services.TryAddSingleton<StoreSchemaGate>();
        if (objects is BlobObjectStore blob)
        {
            AddBlobOutbox(services, configuration, blob);
        }

        services.TryAddSingleton<INotificationPump>(sp => new SchemaFirstNotificationPump(
            sp.GetRequiredService<StoreSchemaGate>(), ReportsThenEmails(sp)));
        return services.AddSubmissionProcessing(configuration, overrides).AddPipelineNotifications(configuration);
    }

    /// <summary>
    /// Builds every service the functions use, so a setting that only fails when a service is constructed stops the host
    /// at start (naming the setting) instead of at the first upload or timer. Opens no connection.
    /// </summary>
    public static void ValidatePipelineHosting(this IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _ = services.GetRequiredService<ISubmissionIntake>();
        _ = services.GetRequiredService<ILateSubmissionCheck>();
        _ = services.GetRequiredService<INotificationPump>();
        _ = services.GetRequiredService<IMailTransport>();
    }

    /// <summary>
    /// The mail transport for a host: SMTP when <c>Pipeline:Mail:SmtpHost</c> is set; otherwise <c>.eml</c> files, in the
    /// object store's <c>outbox</c> area when that is Blob Storage (the Azure <c>outbox</c> container) and no
    /// <c>Pipeline:Mail:OutboxDirectory</c> is set, else in the outbox folder.
    /// </summary>
    public static IMailTransport CreateMailTransport(IConfiguration configuration, IObjectStore objects)
    {
        var mail = MailConfiguration.Read(configuration);
        return objects is BlobObjectStore && string.IsNullOrWhiteSpace(mail.SmtpHost)
            && string.IsNullOrWhiteSpace(configuration[$"{MailConfiguration.Section}:OutboxDirectory"])
            ? new ObjectStoreMailTransport(objects, mail)
            : MailTransports.FromOptions(mail);
    }

    /// <summary>The dispatcher, with the reports its emails link to published first.</summary>
    private static ReportsFirstNotificationPump ReportsThenEmails(IServiceProvider sp) =>
        new(sp.GetRequiredService<Reporting.PendingReports>(), sp.GetRequiredService<NotificationDispatcher>());

    private static void AddBlobOutbox(IServiceCollection services, IConfiguration configuration, BlobObjectStore blob)
    {
        services.TryAddSingleton(CreateMailTransport(configuration, blob));

        services.TryAddSingleton(new BlobOutboxSignal(blob));
        services.TryAddSingleton<OutboxSignalRaiser>();
        // Blob Storage is shared by every Function instance: an upload's invocation drains the drop under a blob lease (#18).
        services.TryAddSingleton<IDrainLock>(new BlobDrainLock(blob));
        services.TryAddSingleton<ISubmissionIntake>(sp => new SignallingSubmissionIntake(
            sp.GetRequiredService<OutboxSignalRaiser>(),
            new DrainingSubmissionIntake(
                sp.GetRequiredService<IDrainLock>(),
                sp.GetRequiredService<DropPoller>(),
                blob,
                sp.GetRequiredService<Pipeline.Adapters.Store.IPipelineStore>(),
                sp.GetRequiredService<StoreSchemaGate>(),
                sp.GetRequiredService<ILogger<DrainingSubmissionIntake>>())));
        services.TryAddSingleton<ILateSubmissionCheck>(sp => new SignallingLateSubmissionCheck(
            sp.GetRequiredService<OutboxSignalRaiser>(),
            new SchemaFirstLateSubmissionCheck(sp.GetRequiredService<StoreSchemaGate>(), sp.GetRequiredService<Alerts.LateSubmissionCheck>())));
        services.TryAddSingleton<INotificationPump>(sp => new SignalledNotificationPump(
            sp.GetRequiredService<BlobOutboxSignal>(),
            new SchemaFirstNotificationPump(sp.GetRequiredService<StoreSchemaGate>(), ReportsThenEmails(sp)),
            sp.GetRequiredService<Pipeline.Adapters.Store.SqlNotificationOutbox>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SignalledNotificationPump>>()));
    }
}
