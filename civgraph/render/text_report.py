"""Text: findings grouped by district, then by unit, with the accountable people named."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import date

from civgraph.catalogue import code_sort_key
from civgraph.findings import CheckReport, Finding

# The few words of the text layout itself, per language (the obligations' own words come from
# the shapes).
WORDS: Mapping[str, Mapping[str, str]] = {
    "zh": {
        "title": "civgraph 检查结果",
        "as_of": "截至",
        "city": "市级",
        "no_unit": "（未能确定责任单位）",
        "accountable": "责任人",
        "pursued": "追责牵头",
        "sanctions": "建议处理",
        "conforms": "全部符合。",
        "summary": "共 {total} 项：违规 {violations} 项，警告 {warnings} 项。",
        "escalated": "【升级】",
        "value": "值",
        "main_leader": "主要负责人",
        "linked_leader": "联系领导",
        "responsible_person": "直接责任人",
        "due": "未到期事项（不计违规）：{count} 项",
        "due_line": "  {code}：{count} 项，最早 {first} 到期 — {what}",
    },
    "en": {
        "title": "civgraph check results",
        "as_of": "as of",
        "city": "City level",
        "no_unit": "(unit in charge not found)",
        "accountable": "accountable",
        "pursued": "pursued by",
        "sanctions": "recommended",
        "conforms": "Everything conforms.",
        "summary": "{total} findings: {violations} violations, {warnings} warnings.",
        "escalated": "[ESCALATED] ",
        "value": "value",
        "main_leader": "main leader",
        "linked_leader": "linked leader",
        "responsible_person": "responsible person",
        "due": "Due, not yet past (not violations): {count}",
        "due_line": "  {code}: {count}, first due {first} — {what}",
    },
}


def _role(role: str, lang: str) -> str:
    return WORDS[lang].get(role, role)


def _due_lines(report: CheckReport, lang: str) -> list[str]:
    words = WORDS.get(lang, WORDS["en"])
    if not report.due:
        return []
    by_code: dict[str, list[date]] = defaultdict(list)
    what: dict[str, str] = {}
    for item in report.due:
        by_code[item.code].append(item.due_by)
        what[item.code] = item.what.get(lang, "")
    lines = ["", words["due"].format(count=len(report.due))]
    for code in sorted(by_code, key=code_sort_key):
        lines.append(
            words["due_line"].format(
                code=code, count=len(by_code[code]), first=min(by_code[code]), what=what[code]
            )
        )
    return lines


def render_text(report: CheckReport, lang: str) -> str:
    words = WORDS.get(lang, WORDS["en"])
    lines = [f"{words['title']} — {words['as_of']} {report.as_of.isoformat()}", ""]
    if not report.findings:
        lines.append(words["conforms"])
        lines += _due_lines(report, lang)
        return "\n".join(lines) + "\n"
    grouped: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in report.findings:
        district = report.label(finding.district, lang) if finding.district else words["city"]
        unit = report.label(finding.unit, lang) if finding.unit else words["no_unit"]
        grouped[district][unit].append(finding)
    for district in sorted(grouped, key=lambda d: (d != words["city"], d)):
        lines.append(f"■ {district}")
        for unit in sorted(grouped[district]):
            lines.append(f"  ▶ {unit}")
            for f in grouped[district][unit]:
                message = f.message.get(lang) or next(iter(f.message.values()), "")
                flag = words["escalated"] if f.escalated else ""
                lines.append(f"    [{f.code} {f.severity}] {flag}{message}")
                focus_name = report.label(f.focus, lang)
                shown = f"{focus_name} <{f.focus}>" if focus_name != f.focus else f"<{f.focus}>"
                lines.append(f"      {shown}")
                if f.value is not None:
                    lines.append(f"      {words['value']}: {report.label(f.value, lang)}")
                if f.accountable:
                    people = ", ".join(
                        f"{report.label(a.person, lang)} ({_role(a.role, lang)})"
                        for a in f.accountable
                    )
                    lines.append(f"      {words['accountable']}: {people}")
                if f.pursued_by:
                    pursued = ", ".join(report.label(u, lang) for u in f.pursued_by)
                    lines.append(f"      {words['pursued']}: {pursued}")
                if f.sanctions:
                    sanctions = ", ".join(report.label(s, lang) for s in f.sanctions)
                    lines.append(f"      {words['sanctions']}: {sanctions}")
        lines.append("")
    violations = sum(1 for f in report.findings if f.severity == "Violation")
    warnings = sum(1 for f in report.findings if f.severity == "Warning")
    lines.append(
        words["summary"].format(
            total=len(report.findings), violations=violations, warnings=warnings
        )
    )
    lines += _due_lines(report, lang)
    return "\n".join(lines) + "\n"
