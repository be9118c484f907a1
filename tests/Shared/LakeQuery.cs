using DuckDB.NET.Data;

namespace Pipeline.Tests.Shared;

/// <summary>Reads the lake with DuckDB, an engine independent of the writer; relative paths resolve under <paramref name="root"/>.</summary>
internal static class LakeQuery
{
    public const string CurrentMeasures = "read_parquet('lake/measures/**/*.parquet', hive_partitioning=true)";

    public static List<object?[]> Rows(string root, string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"set file_search_path = '{root.Replace("'", "''", StringComparison.Ordinal)}'";
        command.ExecuteNonQuery();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public static T Scalar<T>(string root, string sql) => (T)Rows(root, sql).Single()[0]!;
}
