using System.Globalization;

namespace Pipeline.Adapters.Store;

/// <summary>
/// Value conversion that differs between the engines, for code that writes inside a transaction it was handed
/// (<see cref="AfterLoadContext"/>): SQLite keeps instants as fixed-width ISO-8601 UTC text (so text order is time order),
/// SQL Server as <c>datetimeoffset</c>. Both read back through <c>GetFieldValue&lt;DateTimeOffset&gt;</c>.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new("sqlite");
    public static readonly SqlDialect SqlServer = new("sqlserver");

    private SqlDialect(string engine) => Engine = engine;

    public string Engine { get; }

    public static SqlDialect For(string engine) => engine switch
    {
        "sqlite" => Sqlite,
        "sqlserver" => SqlServer,
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "The store engine is 'sqlite' or 'sqlserver'."),
    };

    public object Timestamp(DateTimeOffset value) => Engine == "sqlite"
        ? value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)
        : value.ToUniversalTime();

    /// <summary><c>top (n)</c> on SQL Server, nothing on SQLite (which takes <see cref="Limit"/>).</summary>
    public string Top(int n) => Engine == "sqlite" ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"top ({n}) ");

    public string Limit(int n) => Engine == "sqlite" ? string.Create(CultureInfo.InvariantCulture, $" limit {n}") : string.Empty;
}
