using System.Text;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Routing;

namespace Pipeline.Core.Tests.Alerts.Routing;

public class ContactDirectoryTests
{
    private static ContactDirectory Parse(string csv) => ContactDirectory.Parse(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "contacts.csv");

    [Fact]
    public void Several_contacts_per_lmns_all_receive_its_alerts_and_region_alerts_go_to_the_region()
    {
        var directory = AlertEmailExample.Directory();

        Assert.Equal(2, directory.RecipientsFor(new AlertRoute(RoutingScope.Lmns, "QOP")).Count);
        Assert.Equal("nw.maternity@nhs.example", Assert.Single(directory.RecipientsFor(new AlertRoute(RoutingScope.Region, "Y62"))).Email);
    }

    [Fact]
    public void An_lmns_without_contacts_falls_back_to_the_default_contacts()
    {
        var directory = Parse("scope,code,name,email\nlmns,QOP,Lead,lead@nhs.example\ndefault,*,Regional inbox,inbox@nhs.example\n");

        Assert.Equal("inbox@nhs.example", Assert.Single(directory.RecipientsFor(new AlertRoute(RoutingScope.Lmns, "QE1"))).Email);
        Assert.Equal("lead@nhs.example", Assert.Single(directory.RecipientsFor(new AlertRoute(RoutingScope.Lmns, "QOP"))).Email);
    }

    [Theory]
    [InlineData("scope,code,name\nlmns,QOP,Lead\n", "missing: email")]
    [InlineData("scope,code,name,email\ntrust,R0A,Lead,a@b.nhs\n", "contacts.csv, line 2: scope 'trust' is not one of lmns, region, default")]
    [InlineData("scope,code,name,email\nlmns,QOP,Lead,a@b.nhs\nlmns,QOP,Other,not-an-address\n", "contacts.csv, line 3: 'not-an-address' is not an email address")]
    [InlineData("scope,code,name,email\nlmns,,Lead,a@b.nhs\n", "line 2: code is empty")]
    public void A_bad_contacts_file_is_refused_with_the_line_and_the_fix(string csv, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(csv));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
