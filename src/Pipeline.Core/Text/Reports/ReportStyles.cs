using Pipeline.Core.Reporting;

namespace Pipeline.Core.Text.Reports;

/// <summary>
/// The report's stylesheet, inlined so the page opens anywhere with no network: NHS identity colours (NHS Blue #005EB8,
/// the NHS design system's text, grey, red, green and warm-yellow), system fonts (Arial is the NHS fallback for Frutiger),
/// and text/background pairs chosen for WCAG AA contrast.
/// </summary>
internal static class ReportStyles
{
    public const string Css = """
:root{--blue:#005EB8;--dark-blue:#003087;--text:#212B32;--secondary:#4C6272;--border:#D8DDE0;--pale:#F0F4F5;--red:#D5281B;--green:#007F3B;--yellow:#FFB81C;--orange:#B35900}
*{box-sizing:border-box}
body{margin:0;font-family:Arial,"Helvetica Neue",Helvetica,sans-serif;font-size:16px;line-height:1.5;color:var(--text);background:var(--pale)}
.wrap{max-width:1320px;margin:0 auto;padding:0 24px}
.banner{background:var(--blue);color:#fff;padding:20px 0 24px}
.banner .org{margin:0;font-weight:700;font-size:14px;letter-spacing:.04em;text-transform:uppercase}
.banner .org .nhs{display:inline-block;background:#fff;color:var(--blue);font-weight:700;font-style:italic;padding:0 6px;margin-right:8px;letter-spacing:0}
.banner h1{margin:6px 0 2px;font-size:32px;line-height:1.2}
.banner .lead{margin:0;font-size:20px}
.banner .meta{margin:4px 0 0;font-size:14px;color:#E8EDEE}
main{padding:24px 0 8px}
section{background:#fff;border:1px solid var(--border);border-radius:4px;padding:20px 24px;margin:0 0 24px}
h2{margin:0 0 12px;font-size:24px;line-height:1.25;color:var(--text);border-bottom:4px solid var(--blue);padding-bottom:6px}
h3{margin:20px 0 8px;font-size:19px;line-height:1.3}
p{margin:0 0 12px}
.hint{color:var(--secondary);font-size:14px}
.cards{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:16px;margin:0;padding:0;list-style:none}
.cards li{border-left:6px solid var(--blue);background:var(--pale);padding:12px 16px}
.cards li.alert{border-color:var(--red)}.cards li.watch{border-color:var(--yellow)}.cards li.dq{border-color:var(--secondary)}
.cards .n{display:block;font-size:32px;font-weight:700;line-height:1.1}
.cards .what{display:block;font-size:14px;color:var(--secondary)}
.table-wrap{overflow-x:auto;margin:0 0 16px}
table{border-collapse:collapse;width:100%;font-size:14px}
caption{text-align:left;font-weight:700;padding:0 0 8px;font-size:15px}
th,td{border:1px solid var(--border);padding:6px 8px;vertical-align:top;text-align:left}
thead th{background:var(--pale);font-weight:700}
td.num{text-align:right;white-space:nowrap}
table.heatmap{table-layout:fixed}
table.heatmap th.ind{width:300px;font-weight:400}
table.heatmap thead th{text-align:center;vertical-align:bottom}
table.heatmap thead th.ind{text-align:left}
table.heatmap td{text-align:center;vertical-align:middle;padding:6px 4px;height:48px}
table.heatmap .rr{display:block;font-weight:700;font-size:15px}
table.heatmap .sig{display:block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.03em}
table.heatmap td.alert{box-shadow:inset 0 0 0 3px var(--text)}
table.heatmap td.watch{outline:2px dashed var(--text);outline-offset:-5px}
table.heatmap td.inhibited{background-image:repeating-linear-gradient(45deg,transparent 0 6px,rgba(33,43,50,.12) 6px 8px)}
table.heatmap .sig.lowpower{font-weight:400;text-transform:none;letter-spacing:0}
table.heatmap td.empty{background:#fff;color:var(--secondary)}
.sub{font-weight:400;font-size:12px;color:var(--secondary)}
.legend{display:flex;flex-wrap:wrap;gap:8px 20px;margin:0 0 16px;padding:0;list-style:none;font-size:14px}
.legend .sw{display:inline-block;width:28px;height:16px;vertical-align:-3px;margin-right:6px;border:1px solid var(--border)}
details{border:1px solid var(--border);border-radius:4px;margin:0 0 12px;padding:0 16px}
details[open]{padding-bottom:8px}
details.numbers{border:0;padding:0;margin:0 0 16px}
details.numbers summary{padding:4px 0;font-weight:400;text-decoration:underline}
summary{cursor:pointer;padding:10px 0;font-weight:700;color:var(--blue)}
summary .counts{font-weight:400;color:var(--secondary)}
.badge{display:inline-block;padding:1px 8px;border-radius:2px;font-size:13px;font-weight:700;white-space:nowrap}
.badge.alert{background:var(--red);color:#fff}.badge.watch{background:var(--yellow);color:var(--text)}
.badge.on-time{background:var(--green);color:#fff}.badge.late{background:var(--yellow);color:var(--text)}.badge.missing{background:var(--red);color:#fff}
article.signal{border-top:1px solid var(--border);padding-top:4px}
article.signal:first-of-type{border-top:0}
details.signal{border:0;border-top:1px solid var(--border);border-radius:0;margin:0;padding:0}
details.signal summary{color:var(--text)}
details.signal summary h3{display:inline;margin:0;font-size:17px}
details.more{padding:0 16px}
details.more > summary{font-size:17px}
h3.group{margin-top:28px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0 0 12px;font-size:15px}
dl.facts dt{font-weight:700;color:var(--secondary)}dl.facts dd{margin:0}
figure{margin:0 0 8px}
figcaption{font-size:14px;color:var(--secondary)}
svg.chart{max-width:100%;height:auto;font-family:Arial,Helvetica,sans-serif}
svg .axis{stroke:var(--secondary);stroke-width:1}
svg .grid{stroke:#E8EDEE;stroke-width:1}
svg .tick{font-size:12px;fill:var(--secondary)}
svg .axis-label{font-size:13px;fill:var(--secondary)}
svg .ref-line{stroke:var(--text);stroke-width:1;stroke-dasharray:3 3}
svg .fp-head{font-size:13px;font-weight:700;fill:var(--text)}
svg .fp-label{font-size:13px;fill:var(--text)}
svg .fp-value{font-size:13px;fill:var(--text)}
svg .fp-value.alert{font-weight:700;fill:var(--red)}
svg .fp-value.watch{font-weight:700;fill:var(--orange)}
svg .ci95{stroke-width:4;stroke-linecap:round}
svg .ci998{stroke-width:1.5}
svg .ci95.none,svg .ci998.none{stroke:var(--secondary)}
svg .ci95.alert,svg .ci998.alert{stroke:var(--red)}
svg .ci95.watch,svg .ci998.watch{stroke:var(--orange)}
svg .ci95.inhibited,svg .ci998.inhibited{stroke:#AEB7BD}
svg .marker{stroke:#fff;stroke-width:1.5}
svg .marker.none{fill:var(--secondary)}svg .marker.alert{fill:var(--red)}svg .marker.watch{fill:var(--orange)}svg .marker.inhibited{fill:#AEB7BD}
svg .series{fill:none;stroke:var(--blue);stroke-width:2}
svg .pt{fill:var(--blue)}
svg .pt.special{fill:#ED8B00;stroke:var(--text);stroke-width:1.5}
svg .mean{stroke:var(--text);stroke-width:1.5}
svg .limit{stroke:var(--secondary);stroke-width:1.5;stroke-dasharray:6 4}
svg .limit-label{font-size:12px;fill:var(--secondary)}
table.heatmap td:focus{outline:3px solid #FFEB3B;outline-offset:-3px;box-shadow:inset 0 0 0 5px var(--text)}
svg .pt.special.improvement{fill:#41B6E6}svg .pt.special.concern{fill:#ED8B00}svg .pt.special.neutral{fill:#7C2855}
svg .pt.funnel-pt{stroke:#fff;stroke-width:1}svg .pt.funnel-pt.improvement{fill:#41B6E6;stroke:var(--text)}
svg .pt.funnel-pt.concern{fill:#ED8B00;stroke:var(--text)}svg .pt.funnel-pt.neutral{fill:#7C2855;stroke:var(--text)}
svg .limit95{fill:none;stroke:var(--secondary);stroke-width:1.5;stroke-dasharray:2 3}
svg polyline.limit{fill:none}svg .expected{fill:none;stroke:var(--text);stroke-width:1.5}
svg .funnel95{fill:none;stroke:var(--secondary);stroke-width:1.5;stroke-dasharray:2 3}
svg .funnel998{fill:none;stroke:var(--secondary);stroke-width:1.5;stroke-dasharray:6 4}
svg .funnel-label{font-size:12px;fill:var(--text);font-weight:700}
.rate-charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(480px,1fr));gap:8px 24px}
.mdc-icons{display:flex;flex-wrap:wrap;gap:8px 20px;margin:4px 0 4px;font-size:14px}
.mdc{display:inline-flex;align-items:center;gap:8px;max-width:420px}
svg.mdc-icon{flex:none}svg.mdc-icon .ring{fill:#fff;stroke-width:3.5}
svg.mdc-icon .dot{fill:#A6A6A6}svg.mdc-icon .target{stroke:#D5281B;stroke-width:2;stroke-dasharray:3 2}
svg.mdc-icon .mdc-letter{font:700 12px Arial,sans-serif;fill:var(--text)}
svg.mdc-icon.common .ring{stroke:#A6A6A6}svg.mdc-icon.improvement .ring{stroke:#41B6E6}svg.mdc-icon.concern .ring{stroke:#ED8B00}
svg.mdc-icon.neutral .ring{stroke:#7C2855}svg.mdc-icon.improvement .dot.special{fill:#41B6E6}svg.mdc-icon.concern .dot.special{fill:#ED8B00}
svg.mdc-icon.neutral .dot.special{fill:#7C2855}
dl.glossary dt{font-weight:700;margin-top:10px}dl.glossary dd{margin:0 0 0 0;max-width:860px}
td.alert{color:var(--red);font-weight:700}td.watch{color:var(--orange);font-weight:700}
footer{color:var(--secondary);font-size:14px;padding:0 0 32px}
@media (max-width:900px){.cards{grid-template-columns:repeat(2,minmax(0,1fr))}}
@media print{body{background:#fff}section{border:0;padding:0}details{border:0}}
""";
}
