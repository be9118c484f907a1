using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pipeline.Adapters.Notifications;
using Pipeline.Core.Notifications;

namespace Pipeline.Adapters.Store;

/// <summary>
/// The outbox in the SQL store (<c>notification</c> + <c>notification_image</c>), both engines. Producers write rows with
/// <see cref="AddAsync(StoreSession, Notification, CancellationToken)"/> inside the transaction
/// that records what caused them; the dispatcher drains them through this class. Ids are deterministic, so adding an id
/// that already exists changes nothing.
/// </summary>
public sealed class SqlNotificationOutbox(SqlPipelineStore store) : INotificationOutbox
{
    private const string Columns =
        "id, kind, recipients_json, subject, body_html, body_text, status, attempts, next_attempt_at, last_error, created_at, sent_at";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<bool> AddAsync(Notification notification, CancellationToken cancellationToken) =>
        store.WriteAsync((session, ct) => session.AddNotificationAsync(notification, ct), cancellationToken);

    private const string InsertSql =
        $"""
        insert into notification ({Columns})
        select @id, @kind, @recipients, @subject, @html, @text, @status, @attempts, @next, @error, @created, @sent
        where not exists (select 1 from notification where id = @id)
        """;

    private const string InsertImageSql =
        "insert into notification_image (notification_id, content_id, file_name, media_type, content) values (@id, @cid, @file, @media, @content)";

    /// <summary>
    /// Inserts the row and its images unless the id exists; true when it was added. Runs in the session's transaction, with
    /// statements compiled once per transaction (a batch queues a receipt per file).
    /// </summary>
    internal static async Task<bool> AddAsync(StoreSession session, Notification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(notification);
        var dialect = session.Dialect;
        var inserted = await session.Statement(
                InsertSql, "@id", "@kind", "@recipients", "@subject", "@html", "@text", "@status", "@attempts", "@next", "@error", "@created", "@sent")
            .Bind(
                notification.Id,
                notification.Kind.ToString().ToLowerInvariant(),
                JsonSerializer.Serialize(notification.Recipients, Json),
                notification.Subject,
                notification.Html,
                notification.Text,
                notification.Status.ToString().ToLowerInvariant(),
                notification.Attempts,
                dialect.Timestamp(notification.NextAttemptAt),
                notification.LastError,
                dialect.Timestamp(notification.CreatedAt),
                notification.SentAt is { } s ? dialect.Timestamp(s) : null)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        if (inserted == 0)
        {
            return false;
        }

        foreach (var image in notification.InlineImages)
        {
            await session.Statement(InsertImageSql, "@id", "@cid", "@file", "@media", "@content")
                .Bind(notification.Id, image.ContentId, image.FileName, image.MediaType, image.Content.ToArray())
                .ExecuteAsync(cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    public async Task<Notification?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await QueryAsync($"select {Columns} from notification where id = @id", new { id }, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    public Task<IReadOnlyList<Notification>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"select {store.Dialect.Top(limit)}{Columns} from notification where status = 'pending' and next_attempt_at <= @now " +
            $"order by next_attempt_at, created_at, id{store.Dialect.Limit(limit)}",
            new { now = store.Dialect.Timestamp(now) },
            cancellationToken);

    /// <summary>When the earliest pending notification is due (now or a retry's time); null when nothing is pending.</summary>
    public Task<DateTimeOffset?> NextAttemptAtAsync(CancellationToken cancellationToken) =>
        store.ReadAsync<DateTimeOffset?>(
            async (session, ct) =>
            {
                var reader = await session.Connection.ExecuteReaderAsync(new CommandDefinition(NextAttemptSql, transaction: session.Transaction, cancellationToken: ct))
                    .ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    return await reader.ReadAsync(ct).ConfigureAwait(false) && !reader.IsDBNull(0) ? reader.GetFieldValue<DateTimeOffset>(0) : null;
                }
            },
            cancellationToken);

    internal const string NextAttemptSql = "select min(next_attempt_at) from notification where status = 'pending'";

    /// <summary>Every notification, newest first, without images (for <c>pipeline notify</c> and tests).</summary>
    public Task<IReadOnlyList<Notification>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"select {Columns} from notification order by created_at desc, id", null, cancellationToken, withImages: false);

    public Task MarkSentAsync(string id, DateTimeOffset sentAt, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "update notification set status = 'sent', attempts = attempts + 1, sent_at = @sentAt, last_error = null where id = @id",
            new { id, sentAt = store.Dialect.Timestamp(sentAt) },
            cancellationToken);

    public Task MarkFailedAsync(string id, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            update notification set attempts = attempts + 1, last_error = @error,
                   status = case when @next is null then 'failed' else 'pending' end,
                   next_attempt_at = coalesce(@next, next_attempt_at)
            where id = @id
            """,
            new { id, error = error.Length <= 2000 ? error : error[..2000], next = nextAttemptAt is { } n ? store.Dialect.Timestamp(n) : null },
            cancellationToken);

    private Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken) =>
        store.WriteAsync(
            async (session, ct) =>
            {
                var changed = await session.Connection.ExecuteAsync(new CommandDefinition(sql, parameters, session.Transaction, cancellationToken: ct)).ConfigureAwait(false);
                return changed == 0 ? throw new KeyNotFoundException("No such notification in the outbox.") : changed;
            },
            cancellationToken);

    private Task<IReadOnlyList<Notification>> QueryAsync(string sql, object? parameters, CancellationToken cancellationToken, bool withImages = true) =>
        store.ReadAsync((session, ct) => QueryAsync(session.Connection, session.Transaction, sql, parameters, withImages, ct), cancellationToken);

    private static async Task<IReadOnlyList<Notification>> QueryAsync(
        DbConnection connection, DbTransaction transaction, string sql, object? parameters, bool withImages, CancellationToken cancellationToken)
    {
        {
            var rows = new List<Notification>();
            var reader = await connection.ExecuteReaderAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken)).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(new Notification
                    {
                        Id = reader.GetString(0),
                        Kind = Enum.Parse<NotificationKind>(reader.GetString(1), ignoreCase: true),
                        Recipients = JsonSerializer.Deserialize<List<Recipient>>(reader.GetString(2), Json) ?? [],
                        Subject = reader.GetString(3),
                        Html = reader.GetString(4),
                        Text = reader.GetString(5),
                        Status = Enum.Parse<NotificationStatus>(reader.GetString(6), ignoreCase: true),
                        Attempts = Convert.ToInt32(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture),
                        NextAttemptAt = reader.GetFieldValue<DateTimeOffset>(8),
                        LastError = reader.IsDBNull(9) ? null : reader.GetString(9),
                        CreatedAt = reader.GetFieldValue<DateTimeOffset>(10),
                        SentAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11),
                    });
                }
            }

            if (!withImages || rows.Count == 0)
            {
                return rows;
            }

            // In chunks: SQL Server takes at most 2,100 parameters per command.
            var found = new List<(string Id, string ContentId, string FileName, string MediaType, byte[] Content)>();
            foreach (var ids in rows.Select(r => r.Id).Chunk(1000))
            {
                found.AddRange(await connection.QueryAsync<(string Id, string ContentId, string FileName, string MediaType, byte[] Content)>(new CommandDefinition(
                    "select notification_id, content_id, file_name, media_type, content from notification_image where notification_id in @ids order by content_id",
                    new { ids },
                    transaction,
                    cancellationToken: cancellationToken)).ConfigureAwait(false));
            }

            var images = found.ToLookup(i => i.Id, StringComparer.Ordinal);
            return [.. rows.Select(r => r with { InlineImages = [.. images[r.Id].Select(i => new InlineImage(i.ContentId, i.FileName, i.MediaType, i.Content))] })];
        }
    }
}
