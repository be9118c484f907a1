namespace Pipeline.Core.Reference;

/// <summary>An NHS Data Dictionary ethnic category and the broad group it is analysed in.</summary>
public sealed record EthnicCategory(string Code, string Label, string BroadGroup, bool IsKnown);

public static class BroadGroups
{
    public const string White = "White";
    public const string Mixed = "Mixed";
    public const string Asian = "Asian";
    public const string Black = "Black";
    public const string Other = "Other";
    public const string Unknown = "Unknown";

    /// <summary>The reference group every other ethnic group is compared with.</summary>
    public const string Reference = White;

    public static readonly IReadOnlyList<string> Known = [White, Mixed, Asian, Black, Other];
}
