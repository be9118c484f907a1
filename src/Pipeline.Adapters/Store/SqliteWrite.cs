using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Pipeline.Adapters.Store;

/// <summary>
/// A write statement run straight through SQLite's C API on the session's connection and transaction (SQLite's transaction
/// belongs to the connection): compiled once, parameters resolved to their positions once, then per row only bound by
/// position, stepped and reset. Microsoft.Data.Sqlite's per-execution path (a data reader per statement, every parameter
/// looked up by name, its text converted each time) costs several times what SQLite spends inserting a row, on the
/// statements a batch runs tens of thousands of times. Values bind as Microsoft.Data.Sqlite binds them.
/// </summary>
internal sealed class SqliteWrite : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;

    // The text each position holds from the last row: SQLite keeps a statement's bindings across resets, so a text equal to
    // the last one is already bound. A batch's rows repeat most of their texts (level, organisation, indicator, month, signal),
    // and converting each to UTF-8 again was most of the cost of binding them.
    private readonly string?[] _boundText;

    private byte[] _utf8 = new byte[256];

    public SqliteWrite(SqliteConnection connection, string sql, IReadOnlyList<string> parameterNames)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement, out string tail);
        SqliteException.ThrowExceptionForRC(rc, _db);
        if (!string.IsNullOrWhiteSpace(tail))
        {
            _statement.Dispose();
            throw new ArgumentException("One statement at a time.", nameof(sql));
        }

        // Every parameter of the SQL must be named (a named parameter used twice has one position).
        _positions = [.. parameterNames.Select(n => raw.sqlite3_bind_parameter_index(_statement, n))];
        var bound = _positions.Where(p => p > 0).Distinct().Count();
        if (_positions.Any(p => p == 0) || bound != raw.sqlite3_bind_parameter_count(_statement))
        {
            _statement.Dispose();
            throw new ArgumentException(
                $"The parameters named ({string.Join(", ", parameterNames)}) are not the statement's.", nameof(parameterNames));
        }

        _boundText = new string?[_positions.Length];
    }

    /// <summary>Binds <paramref name="values"/> (in the order the parameters were named), runs the statement; the rows changed.</summary>
    public int Execute(object?[] values)
    {
        try
        {
            for (var i = 0; i < values.Length; i++)
            {
                Bind(i, values[i]);
            }

            var rc = raw.sqlite3_step(_statement);
            if (rc is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                SqliteException.ThrowExceptionForRC(rc, _db);
            }

            return raw.sqlite3_changes(_db);
        }
        finally
        {
            // Reset at once: a stepped statement left pending would hold the transaction open against COMMIT.
            _ = raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    // As Microsoft.Data.Sqlite binds the same CLR values (SqliteValueBinder): integers and booleans as INTEGER, floating
    // point as REAL (NaN refused, as it refuses it), text as UTF-8 TEXT, bytes as BLOB, null as NULL.
    private void Bind(int index, object? value)
    {
        if (value is string text && string.Equals(_boundText[index], text, StringComparison.Ordinal))
        {
            return;
        }

        // Forgotten first: if binding fails, the position's text is unknown until the next bind.
        _boundText[index] = null;
        var position = _positions[index];
        var rc = value switch
        {
            null or DBNull => raw.sqlite3_bind_null(_statement, position),
            string s => BindText(position, s),
            long l => raw.sqlite3_bind_int64(_statement, position, l),
            int n => raw.sqlite3_bind_int64(_statement, position, n),
            bool b => raw.sqlite3_bind_int64(_statement, position, b ? 1 : 0),
            double d when double.IsNaN(d) => throw new InvalidOperationException("Cannot store 'NaN' values."),
            double d => raw.sqlite3_bind_double(_statement, position, d),
            byte[] bytes => raw.sqlite3_bind_blob(_statement, position, bytes),
            _ => throw new NotSupportedException($"No SQLite binding for {value.GetType().Name} values here."),
        };
        SqliteException.ThrowExceptionForRC(rc, _db);
        _boundText[index] = value as string;
    }

    // UTF-8 into a buffer kept by the statement; SQLite copies it (SQLITE_TRANSIENT), as it does the string overload's array.
    private int BindText(int position, string text)
    {
        var length = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_utf8.Length < length)
        {
            _utf8 = new byte[Math.Max(length, _utf8.Length * 2)];
        }

        var written = System.Text.Encoding.UTF8.GetBytes(text, _utf8);
        return raw.sqlite3_bind_text(_statement, position, _utf8.AsSpan(0, written));
    }
}
