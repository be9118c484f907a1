using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Parquet.Serialization;

namespace Pipeline.Tests.Shared;

/// <summary>
/// Everything a data directory holds, as comparable lines: the SQL rows of the submission, measure and validation_issue tables
/// (without the columns that record when or how often: received_at, processed_at, attempts, failure_reason), every Parquet file
/// read back row by row, and the sha256 of every other file (originals, receipts, quarantine). Two runs that end in the same
/// state give equal snapshots.
/// </summary>
public static class DataDirectorySnapshot
{
    private static readonly HashSet<string> TimingColumns = new(StringComparer.OrdinalIgnoreCase) { "received_at", "processed_at", "attempts", "failure_reason" };

    public static async Task<List<string>> TakeAsync(string dataDirectory)
    {
        var lines = new List<string>();
        var database = Path.Combine(dataDirectory, "pipeline.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            lines.AddRange(Rows(connection, "submission", "select * from submission order by id"));
            lines.AddRange(Rows(connection, "measure", "select * from measure order by submission_id, indicator_code, breakdown, group_code"));
            lines.AddRange(Rows(connection, "validation_issue", "select * from validation_issue order by submission_id, ordinal"));
        }

        foreach (var path in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(dataDirectory, path).Replace('\\', '/');
            if (relative.StartsWith("pipeline.db", StringComparison.Ordinal))
            {
                continue;
            }

            if (relative.EndsWith(".parquet", StringComparison.Ordinal))
            {
                lines.AddRange(await ParquetRowsAsync(path, relative));
            }
            else
            {
                await using var stream = File.OpenRead(path);
                lines.Add($"file {relative} {Convert.ToHexStringLower(await SHA256.HashDataAsync(stream))}");
            }
        }

        return lines;
    }

    private static IEnumerable<string> Rows(SqliteConnection connection, string table, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            var values = Enumerable.Range(0, reader.FieldCount)
                .Where(i => !TimingColumns.Contains(reader.GetName(i)))
                .Select(i => $"{reader.GetName(i)}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}");
            rows.Add($"sql {table}: {string.Join(", ", values)}");
        }

        return rows;
    }

    private static async Task<List<string>> ParquetRowsAsync(string path, string relative)
    {
        await using var stream = File.OpenRead(path);
        var table = await ParquetSerializer.DeserializeUntypedAsync(stream);
        return [.. table.Data.Select(row => $"lake {relative}: " + string.Join(", ", row.OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}={Convert.ToString(c.Value, CultureInfo.InvariantCulture)}")))];
    }
}
