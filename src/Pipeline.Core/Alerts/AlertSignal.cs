namespace Pipeline.Core.Alerts;

/// <summary>Whose contacts an alert goes to: an LMNS code or a region code.</summary>
public sealed record AlertRoute(RoutingScope Scope, string Code)
{
    public override string ToString() => $"{Scope.ToWire()}:{Code}";
}

/// <summary>
/// One rule holding for one fingerprint at the evaluated period: what detection hands to the alert state machine (a
/// <c>v_group_comparison</c> / <c>v_deprivation_gradient</c> row whose signal is watch or alert, an SPC concern, a
/// data-quality gate or a missing submission).
/// </summary>
public sealed record AlertSignal(AlertFingerprint Fingerprint, AlertRoute Route, AlertSeverity Severity, AlertEvidence Evidence);
