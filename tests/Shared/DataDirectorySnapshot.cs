using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Parquet.Serialization;

namespace Pipeline.Tests.Shared;

/// <summary>
/// Everything a data directory holds, as comparable lines: the SQL rows of every table processing writes (submissions, measures,
/// issues, detection, alerts, notifications; without the columns that record when or how often: every *_at, attempts,
/// failure_reason, alert_event's sequence id), every Parquet file
/// read back row by row, and the sha256 of every other file (originals, receipts, quarantine). Receipts are named and dated by
/// when a file was received, so in receipt names and in the text of receipts and notifications the instants are masked, as the
/// *_at columns are left out. Two runs that end in the same state give equal snapshots.
/// </summary>
public static partial class DataDirectorySnapshot
{
    // A receipt's received stamp (R0A-2026-10-20261103T090000.000Z.html), ISO instants, and "2026-11-03 09:00 UTC" in receipt text.
    [System.Text.RegularExpressions.GeneratedRegex(
        @"\d{8}T\d{6}\.\d{3}Z" +
        @"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}|\\u002B\d{2}:\d{2})" +
        @"|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")]
    private static partial System.Text.RegularExpressions.Regex Instant();

    private static string MaskInstants(string text) => Instant().Replace(text, "<instant>");

    // What processing writes (ingest, then detection and alerts inside the load transaction); reference tables are rewritten by migrate.
    private static readonly string[] Tables =
    [
        "submission", "measure", "validation_issue", "detection_count", "group_comparison", "deprivation_gradient",
        "data_quality_finding", "alert", "alert_observation", "alert_event", "notification",
    ];

    private static bool IsTiming(string table, string column) =>
        column.EndsWith("_at", StringComparison.OrdinalIgnoreCase) || column is "attempts" or "failure_reason" || (table == "alert_event" && column == "id");

    public static async Task<List<string>> TakeAsync(string dataDirectory)
    {
        var lines = new List<string>();
        var database = Path.Combine(dataDirectory, "pipeline.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            foreach (var table in Tables)
            {
                lines.AddRange(Rows(connection, table));
            }
        }

        foreach (var path in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = MaskInstants(Path.GetRelativePath(dataDirectory, path).Replace('\\', '/'));
            // The database is compared by its rows; lock files coordinate processes and hold no data.
            if (relative.StartsWith("pipeline.db", StringComparison.Ordinal) || relative.StartsWith(".locks/", StringComparison.Ordinal))
            {
                continue;
            }

            if (relative.EndsWith(".parquet", StringComparison.Ordinal))
            {
                lines.AddRange(await ParquetRowsAsync(path, relative));
            }
            else if (relative.StartsWith("reports/", StringComparison.Ordinal) || relative.StartsWith("outbox/", StringComparison.Ordinal))
            {
                var text = MaskInstants(await File.ReadAllTextAsync(path));
                lines.Add($"file {relative} {Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))}");
            }
            else
            {
                await using var stream = File.OpenRead(path);
                lines.Add($"file {relative} {Convert.ToHexStringLower(await SHA256.HashDataAsync(stream))}");
            }
        }

        return lines;
    }

    private static IEnumerable<string> Rows(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "select * from " + table; // a name from the constant list above
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = Enumerable.Range(0, reader.FieldCount)
                .Where(i => !IsTiming(table, reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}=" +
                    MaskInstants(Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty));
            rows.Add($"sql {table}: {string.Join(", ", values)}");
        }

        return [.. rows.Order(StringComparer.Ordinal)];
    }

    private static async Task<List<string>> ParquetRowsAsync(string path, string relative)
    {
        await using var stream = File.OpenRead(path);
        var table = await ParquetSerializer.DeserializeUntypedAsync(stream);
        return [.. table.Data.Select(row => $"lake {relative}: " + string.Join(", ", row.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}={Convert.ToString(c.Value, CultureInfo.InvariantCulture)}")))];
    }
}
