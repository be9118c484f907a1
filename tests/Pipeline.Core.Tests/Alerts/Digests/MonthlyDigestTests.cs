using Pipeline.Core.Alerts;
using Pipeline.Core.Alerts.Digests;
using Pipeline.Core.Model;
using Pipeline.Core.Reference;

namespace Pipeline.Core.Tests.Alerts.Digests;

public sealed class MonthlyDigestTests
{
    private static readonly DateTimeOffset Deadline = new(2026, 11, 15, 23, 59, 59, TimeSpan.Zero);
    private static readonly AlertRoute Qop = AlertScenario.Lmns;
    private static readonly AlertRoute Region = new(RoutingScope.Region, "Y60");

    [Fact]
    public void A_month_is_due_when_every_expected_file_is_in_even_before_the_deadline()
    {
        var month = new DigestMonth(Qop, new Period(2026, 10), ExpectedTrusts: 4, TrustsIn: 4, Deadline);

        Assert.True(month.DueAt(Deadline.AddDays(-10)));
        Assert.False((month with { TrustsIn = 3 }).DueAt(Deadline.AddDays(-10)));
        Assert.True((month with { TrustsIn = 3 }).DueAt(Deadline.AddSeconds(1)));
    }

    [Fact]
    public void Only_the_latest_of_several_due_months_sends_and_a_month_not_due_holds_back_later_ones()
    {
        var now = Deadline.AddDays(1);
        var pending = new[]
        {
            new DigestMonth(Qop, new Period(2026, 9), 4, 2, Deadline.AddMonths(-1)),
            new DigestMonth(Qop, new Period(2026, 10), 4, 3, Deadline),
            new DigestMonth(Qop, new Period(2026, 11), 4, 1, Deadline.AddMonths(1)),
            new DigestMonth(Region, new Period(2026, 11), 10, 10, Deadline.AddMonths(1)),
            new DigestMonth(Region, new Period(2026, 10), 10, 9, Deadline.AddMonths(1).AddDays(5)),
        };

        var due = DigestSchedule.Due(pending, now);

        Assert.Equal(
            [("lmns:QOP", "2026-09", false), ("lmns:QOP", "2026-10", true)],
            due.Select(d => (d.Month.Route.ToString(), d.Month.Period.ToString(), d.Sends)));
    }

    [Fact]
    public void A_digest_tells_what_changed_since_the_recipients_were_last_told_and_lists_known_alerts_still_firing()
    {
        var known = State(AlertScenario.BlackStillbirths, told: AlertStatus.Firing);
        var fresh = State(AlertScenario.BlackStillbirths with { GroupCode = "Asian" }, told: null);
        var resolved = State(AlertScenario.BlackStillbirths with { GroupCode = "Mixed" }, told: AlertStatus.Firing) with
        {
            Status = AlertStatus.Resolved,
            ResolvedAt = new Period(2026, 10),
        };
        var neverTold = resolved with { Fingerprint = AlertScenario.BlackStillbirths with { GroupCode = "Other" }, NotifiedStatus = null };

        var content = MonthlyDigest.Compose([known, fresh, resolved, neverTold], [], Deadline, AlertPolicy.Default);

        Assert.Equal([(NoticeKind.New, "Asian"), (NoticeKind.Resolved, "Mixed")],
            content.Notices.Select(n => (n.Kind, n.Alert.Fingerprint.GroupCode)));
        Assert.Equal(["Black"], content.Continuing.Select(s => s.Fingerprint.GroupCode));
        Assert.All(content.Told, s => Assert.Equal(s.Status, s.NotifiedStatus));
        Assert.Equal([1, 2], content.Told.Select(s => s.NotificationCount)); // one more notice each
    }

    [Fact]
    public void A_digest_composed_again_from_the_told_states_has_nothing_new_to_say()
    {
        var states = new[] { State(AlertScenario.BlackStillbirths, told: null) };
        var first = MonthlyDigest.Compose(states, [], Deadline, AlertPolicy.Default);

        var again = MonthlyDigest.Compose(first.Told, [], Deadline, AlertPolicy.Default);

        Assert.Single(first.Notices);
        Assert.Empty(again.Notices);
        Assert.Single(again.Continuing);
    }

    [Fact]
    public void A_silenced_alert_is_neither_told_nor_listed_as_still_firing()
    {
        var silence = new Silence("s1", SilenceMatcher.TryParse("organisation|R0A|*|*|*|*")!, "reviewed with the trust", "lead",
            Deadline.AddDays(-1), Deadline.AddDays(30));

        var content = MonthlyDigest.Compose(
            [
                State(AlertScenario.BlackStillbirths, told: null),
                State(AlertScenario.BlackStillbirths with { GroupCode = "Asian" }, told: AlertStatus.Firing),
            ],
            [silence], Deadline, AlertPolicy.Default);

        Assert.Empty(content.Notices);
        Assert.Empty(content.Continuing);
        Assert.Single(content.Silenced);
    }

    [Fact]
    public void Watches_nobody_is_emailed_about_stay_out_of_the_digest()
    {
        var watch = State(AlertScenario.BlackStillbirths, told: null) with { Severity = AlertSeverity.Watch };

        var content = MonthlyDigest.Compose([watch], [], Deadline, AlertPolicy.Default);

        Assert.Empty(content.Notices);
        Assert.Empty(content.Continuing);
    }

    [Theory]
    [InlineData(AlertRule.DataQuality, NoticeKind.New, "2026-10", true)]
    [InlineData(AlertRule.LateSubmission, NoticeKind.New, "2026-10", true)]
    [InlineData(AlertRule.DataQuality, NoticeKind.New, "2026-11", false)] // its month's digest has not gone: it carries it
    [InlineData(AlertRule.DataQuality, NoticeKind.Resolved, "2026-10", false)] // good news waits
    [InlineData(AlertRule.Ratio, NoticeKind.New, "2026-10", false)] // equity changes always wait for the digest
    public void Only_a_data_problem_or_missing_file_raised_after_its_months_digest_goes_out_on_its_own(
        AlertRule rule, NoticeKind kind, string since, bool sendsNow)
    {
        var alert = State(AlertScenario.BlackStillbirths with { Rule = rule }, told: null) with { FiringSince = Period.Parse(since) };
        var released = new Period(2026, 10);

        var now = NoticeTiming.SendsNow(new AlertNotice(kind, alert, null), (route, month) => route == Qop && month <= released);

        Assert.Equal(sendsNow, now);
    }

    [Fact]
    public void Every_lmns_and_region_waits_from_the_first_month_one_of_its_trusts_sent_a_file_to_the_latest_sent_or_checked()
    {
        var reference = ReferenceData.Embedded;
        var month = new Period(2026, 10);
        var qopTrusts = reference.TrustsInLmns("QOP", month).Order(StringComparer.Ordinal).ToList();
        var region = reference.FindLmns("QOP", month)!.RegionCode;
        // Every QOP trust's file for October is in; one trust's November file was rejected; the daily check has seen December.
        var submitted = qopTrusts.Select(t => (t, month, true)).Append((qopTrusts[0], month.AddMonths(1), false)).ToList();

        var pending = DigestCalendar.Pending(
            reference, [region], submitted, new Dictionary<AlertRoute, Period>(), p => Deadline, month.AddMonths(2));

        var qop = pending.Where(p => p.Route == new AlertRoute(RoutingScope.Lmns, "QOP")).ToList();
        Assert.Equal([month, month.AddMonths(1), month.AddMonths(2)], qop.Select(p => p.Period));
        Assert.True(qop[0].Complete);
        Assert.Equal((qopTrusts.Count, 0), (qop[1].ExpectedTrusts, qop[1].TrustsIn));
        var regional = pending.Single(p => p.Route == new AlertRoute(RoutingScope.Region, region) && p.Period == month);
        Assert.Equal(reference.TrustsActiveIn(month).Count(t => reference.RegionOf(t.Code, month) == region), regional.ExpectedTrusts);
        Assert.False(regional.Complete);
        // Other LMNSs of the region have no accepted file yet: nothing waits for them.
        Assert.All(pending, p => Assert.True(p.Route.Scope == RoutingScope.Region || p.Route.Code == "QOP"));

        var later = DigestCalendar.Pending(
            reference, [region], submitted, new Dictionary<AlertRoute, Period> { [qop[0].Route] = month }, p => Deadline);
        Assert.DoesNotContain(later, p => p.Route == qop[0].Route && p.Period == month);
    }

    private static AlertState State(AlertFingerprint fingerprint, AlertStatus? told) => new()
    {
        Fingerprint = fingerprint,
        Route = Qop,
        Status = AlertStatus.Firing,
        Severity = AlertSeverity.Alert,
        FiringSince = new Period(2026, 9),
        LastHeld = new Period(2026, 10),
        LastEvaluated = new Period(2026, 10),
        Evidence = AlertScenario.Evidence("2026-10"),
        Observations = [],
        NotifiedStatus = told,
        NotifiedSeverity = told is null ? null : AlertSeverity.Alert,
        NotifiedPeriod = told is null ? null : new Period(2026, 9),
        NotificationCount = told is null ? 0 : 1,
    };
}
