using System.Data.Common;

namespace Pipeline.Adapters.Store;

/// <summary>
/// One statement kept for the whole transaction and re-bound per execution (<see cref="StoreSession.Statement"/>): a batch runs
/// the same few statements thousands of times, and compiling each once (instead of parsing, preparing and finalizing it per
/// call, and finding every parameter by name) is most of what SQLite's side of a statement costs. Parameters are bound by
/// position, with the names as written in the SQL (prefix included, so no prefixed-name search per bind).
/// </summary>
internal sealed class SessionStatement
{
    // Dapper's sizing of strings on SQL Server (nvarchar(4000), or max past it): the same declared types, so the same plans.
    private const int SqlServerStringSize = 4000;

    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;
    private readonly bool _sizeStrings;
    private bool _prepared;

    internal SessionStatement(DbCommand command, IReadOnlyList<string> parameterNames, bool prepare, bool sizeStrings)
    {
        _command = command;
        _sizeStrings = sizeStrings;
        _parameters = new DbParameter[parameterNames.Count];
        for (var i = 0; i < parameterNames.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = parameterNames[i];
            parameter.Value = DBNull.Value;
            command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }

        // SQL Server's Prepare wants every parameter sized; its statements are cached by the server, so only SQLite prepares.
        _prepared = !prepare;
    }

    internal DbCommand Command => _command;

    /// <summary>Sets the parameters, in the order they were named; null binds SQL null.</summary>
    public SessionStatement Bind(params object?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _parameters.Length)
        {
            throw new ArgumentException($"The statement takes {_parameters.Length} values, not {values.Length}.", nameof(values));
        }

        for (var i = 0; i < values.Length; i++)
        {
            var parameter = _parameters[i];
            var value = values[i];
            parameter.Value = value ?? DBNull.Value;
            if (_sizeStrings)
            {
                parameter.Size = value is string s ? (s.Length <= SqlServerStringSize ? SqlServerStringSize : -1) : 0;
            }
        }

        return this;
    }

    public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await _command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken).ConfigureAwait(false);
        var value = await _command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>A reader over the statement's rows; dispose it before the statement runs again.</summary>
    public async Task<DbDataReader> ReaderAsync(CancellationToken cancellationToken)
    {
        await PrepareAsync(cancellationToken).ConfigureAwait(false);
        return await _command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
    }

    // Prepared at the first execution, when the parameters hold values (a prepared SQLite statement is compiled once and kept
    // by the command until it is disposed with the session).
    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (!_prepared)
        {
            await _command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            _prepared = true;
        }
    }
}
