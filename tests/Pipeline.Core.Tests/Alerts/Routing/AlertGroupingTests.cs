using System.Text;
using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Routing;
using static Pipeline.Core.Tests.Alerts.AlertScenario;
using Pipeline.Core.Detection;

namespace Pipeline.Core.Tests.Alerts.Routing;

public class AlertGroupingTests
{
    [Fact]
    public void Notices_for_different_routes_become_one_email_each()
    {
        var region = Signal("2026-10") with
        {
            Fingerprint = BlackStillbirths with { Level = Level.Region, OrganisationCode = "Y62" },
            Route = new AlertRoute(RoutingScope.Region, "Y62"),
        };
        var decision = AlertEngine.Evaluate(Evaluation("2026-10", Signal("2026-10"), region), [], [], DateTimeOffset.UnixEpoch);

        var routing = AlertGrouping.Group(decision, AlertEmailExample.Directory());

        Assert.Equal(["lmns:QOP", "region:Y62"], routing.Groups.Select(g => g.Route.ToString()));
        Assert.Empty(routing.Unroutable);
    }

    [Fact]
    public void Notices_nobody_is_configured_to_receive_are_reported_as_unroutable()
    {
        var decision = AlertEngine.Evaluate(Evaluation("2026-10", Signal("2026-10")), [], [], DateTimeOffset.UnixEpoch);
        var nobody = ContactDirectory.Parse(new MemoryStream(Encoding.UTF8.GetBytes("scope,code,name,email\nlmns,QE1,Lead,a@b.nhs\n")), "contacts.csv");

        var routing = AlertGrouping.Group(decision, nobody);

        Assert.Empty(routing.Groups);
        Assert.Single(routing.Unroutable);
    }

    [Fact]
    public void The_notification_id_is_the_same_when_the_same_run_is_processed_again_and_differs_for_other_changes()
    {
        var first = AlertEmailExample.OctoberGroup();
        var again = AlertEmailExample.OctoberGroup();
        var other = AlertEmailExample.OctoberGroup(AlertEmailExample.Ratio("caesarean", "Asian", "2026-10", 300, 1200, 900, 5000));

        Assert.Equal(first.NotificationId, again.NotificationId);
        Assert.NotEqual(first.NotificationId, other.NotificationId);
        Assert.Matches("^[0-9a-f]{32}$", first.NotificationId);
    }

    [Fact]
    public void A_later_notice_that_says_the_same_thing_again_gets_a_new_notification_id()
    {
        var scenario = new AlertScenario();
        var ids = new List<string>();
        foreach (var signals in new[] { new[] { Signal("2026-10") }, [], [Signal("2026-10")], [] })
        {
            var decision = scenario.Run("2026-10", signals);
            ids.Add(Assert.Single(AlertGrouping.Group(decision, AlertEmailExample.Directory()).Groups).NotificationId);
        }

        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(4, scenario.State(BlackStillbirths).NotificationCount);
    }
}
