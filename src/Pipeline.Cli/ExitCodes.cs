namespace Pipeline.Cli;

/// <summary>The contract every command keeps with scripts.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The input was processed but rejected or invalid.</summary>
    public const int Rejected = 1;

    /// <summary>Usage or environment error: bad arguments, unreadable file, unreachable store.</summary>
    public const int UsageOrEnvironment = 2;
}
