using Pipeline.Core.Model;

namespace Pipeline.Core.Tests.Model;

public class DropPathTests
{
    [Theory]
    [InlineData("submissions/R0A/2026-10/october.csv")]
    [InlineData("R0A/2026-10/october.csv")]
    [InlineData("/data/submissions/R0A/2026-10/october.csv")]
    public void Reads_organisation_period_and_file_from_the_drop_path(string path)
    {
        var drop = DropPath.TryParse(path);

        Assert.Equal(new DropPath("R0A", "2026-10", "october.csv"), drop);
    }

    [Theory]
    [InlineData("october.csv")]
    [InlineData("R0A/october.csv")]
    [InlineData("")]
    public void Path_without_organisation_and_period_folders_is_not_a_drop_path(string path) => Assert.Null(DropPath.TryParse(path));
}
