using Pipeline.Adapters.Storage;

namespace Pipeline.Adapters.Tests.Storage;

public sealed class BlobObjectStoreFactoryTests
{
    [Fact]
    public void Service_uri_store_addresses_blobs_in_that_account()
    {
        var store = BlobObjectStoreFactory.Create(new BlobStorageOptions
        {
            ServiceUri = new Uri("https://stpipeline.blob.core.windows.net"),
            ManagedIdentityClientId = "00000000-0000-0000-0000-000000000001",
        });

        Assert.Equal("https://stpipeline.blob.core.windows.net/submissions/R0A/2026-10/f.csv", store.Describe("submissions/R0A/2026-10/f.csv"));
    }

    [Fact]
    public void Container_prefix_is_part_of_every_container_name()
    {
        var store = BlobObjectStoreFactory.Create(new BlobStorageOptions
        {
            ServiceUri = new Uri("https://stpipeline.blob.core.windows.net"),
            ContainerPrefix = "staging-",
        });

        Assert.Equal("https://stpipeline.blob.core.windows.net/staging-lake/m/p.parquet", store.Describe("lake/m/p.parquet"));
    }

    [Fact]
    public void Both_a_connection_string_and_a_service_uri_are_refused()
    {
        var options = new BlobStorageOptions { ConnectionString = "UseDevelopmentStorage=true", ServiceUri = new Uri("https://x.blob.core.windows.net") };

        var e = Assert.Throws<ArgumentException>(() => BlobObjectStoreFactory.Create(options));

        Assert.Contains("not both", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Neither_a_connection_string_nor_a_service_uri_is_refused()
    {
        Assert.Throws<ArgumentException>(() => BlobObjectStoreFactory.Create(new BlobStorageOptions()));
    }

    [Fact]
    public void Container_prefix_that_breaks_the_naming_rule_is_refused_with_the_rule()
    {
        var options = new BlobStorageOptions { ConnectionString = "UseDevelopmentStorage=true", ContainerPrefix = "Bad_" };

        var e = Assert.Throws<ArgumentException>(() => BlobObjectStoreFactory.Create(options));

        Assert.Contains("lower-case letters", e.Message, StringComparison.Ordinal);
    }
}
