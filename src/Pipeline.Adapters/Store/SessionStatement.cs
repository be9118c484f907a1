using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipeline.Adapters.Store;

/// <summary>
/// One statement kept for the whole transaction and re-bound per execution (<see cref="StoreSession.Statement"/>): a batch runs
/// the same few statements thousands of times, and compiling each once (instead of parsing, preparing and finalizing it per
/// call, and finding every parameter by name) is most of what SQLite's side of a statement costs. Parameters are bound by
/// position, with the names as written in the SQL (prefix included). On SQLite, writes go through <see cref="SqliteWrite"/>
/// and reads through a prepared command; on SQL Server both go through one reused command (the server caches the plan).
/// </summary>
internal sealed class SessionStatement : IAsyncDisposable
{
    // Dapper's sizing of strings on SQL Server (nvarchar(4000), or max past it): the same declared types, so the same plans.
    private const int SqlServerStringSize = 4000;

    private readonly DbCommand _command;
    private readonly string[] _names;
    private readonly DbParameter[] _parameters;
    private readonly SqliteConnection? _sqlite;
    private object?[] _values;
    private SqliteWrite? _write;
    private bool _prepared;

    internal SessionStatement(DbCommand command, string[] parameterNames)
    {
        _command = command;
        _names = parameterNames;
        _sqlite = command.Connection as SqliteConnection;
        _values = new object?[parameterNames.Length];
        _parameters = new DbParameter[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameterNames[i];
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }

        // SQL Server's Prepare wants every parameter sized; its statements are cached by the server, so only SQLite prepares.
        _prepared = _sqlite is null;
    }

    /// <summary>Sets the parameters, in the order they were named; null binds SQL null. Run the statement before binding again.</summary>
    public SessionStatement Bind(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _names.Length)
        {
            throw new ArgumentException($"The statement takes {_names.Length} values, not {values.Length}.", nameof(values));
        }

        _values = values;
        return this;
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        if (_sqlite is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _write ??= new SqliteWrite(_sqlite, _command.CommandText, _names);
            return _write.Execute(_values);
        }

        await ApplyAsync(cancellationToken).ConfigureAwait(false);
        return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(CancellationToken cancellationToken)
    {
        await ApplyAsync(cancellationToken).ConfigureAwait(false);
        var value = await _command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>A reader over the statement's rows; dispose it before the statement runs again.</summary>
    public async Task<DbDataReader> ReaderAsync(CancellationToken cancellationToken)
    {
        await ApplyAsync(cancellationToken).ConfigureAwait(false);
        return await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _write?.Dispose();
        await _command.DisposeAsync().ConfigureAwait(false);
    }

    // The values onto the command's parameters; on SQLite the command is prepared at its first run, when they hold values (it is
    // compiled once and kept until the session disposes it).
    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _values.Length; i++)
        {
            var parameter = _parameters[i];
            var value = _values[i];
            parameter.Value = value ?? DBNull.Value;
            if (_sqlite is null)
            {
                parameter.Size = value is string s ? (s.Length <= SqlServerStringSize ? SqlServerStringSize : -1) : 0;
            }
        }

        if (!_prepared)
        {
            await _command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }
    }
}
