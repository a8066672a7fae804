"""The obligation pages of ``civgraph explain`` and the table of ``civgraph codes``.

Everything shown comes from the shape files, the ontology (clause texts, code-list labels) and
the obligation's example fixtures; nothing about any obligation is written here.
"""

from __future__ import annotations

import json
from functools import cache

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDFS, SH, SKOS
from rdflib.term import Node, URIRef

from civgraph import resources
from civgraph.catalogue import all_obligations, load_shapes
from civgraph.errors import InputError
from civgraph.loading import ontology_files
from civgraph.namespaces import CIV, PREFIXES
from civgraph.shacl_paths import path_to_sparql

WORDS = {
    "zh": {
        "code": "编号",
        "severity": "严重程度",
        "clause": "条款",
        "name": "名称",
        "source": "原文",
        "rendering": "英文译文",
        "checked": "检查内容",
        "accountable": "责任认定（第五条）",
        "unit": "责任单位：从检查对象经路径 {path} 到达的单位",
        "unit_self": "责任单位：检查对象本身",
        "always": "总是列出：责任单位的主要负责人（一把手），及其联系领导",
        "person": "直接责任人：经路径 {path}",
        "other": "{role}：经路径 {path}",
        "pursued": "追责：纪检监察部门牵头，效能办、文明办配合",
        "sanctions": "建议处理",
        "escalated": "情节严重时另建议",
        "violating": "违规示例",
        "conforming": "合规示例",
        "no_example": "（无示例）",
    },
    "en": {
        "code": "Code",
        "severity": "Severity",
        "clause": "Clause",
        "name": "Name",
        "source": "Source text",
        "rendering": "English rendering",
        "checked": "What is checked",
        "accountable": "Who is accountable (clause 5)",
        "unit": "Unit in charge: reached from the focus node by {path}",
        "unit_self": "Unit in charge: the focus node itself",
        "always": "Always named: the unit's main leader (一把手) and its linked leaders",
        "person": "Directly responsible person: by {path}",
        "other": "{role}: by {path}",
        "pursued": "Pursued by discipline inspection, assisted by the efficiency and "
        "civilization offices",
        "sanctions": "Recommended",
        "escalated": "If serious, also",
        "violating": "Violating example",
        "conforming": "Conforming example",
        "no_example": "(no example)",
    },
}


@cache
def _ontology() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path)
    return graph


def _label(graph: Graph, node: Node, lang: str, predicates: tuple[URIRef, ...]) -> str:
    for predicate in predicates:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal) and value.language == lang:
                return str(value)
    return str(node)


def _short(text: str) -> str:
    for prefix, namespace in PREFIXES.items():
        text = text.replace(f"<{namespace}", f"{prefix}:").replace(">", "", 0)
    return text.replace(">", "")


def codes_table(*, lang: str, as_json: bool = False) -> str:
    rows = [
        {
            "code": o.code,
            "severity": o.severity,
            "clause": o.clause.rsplit("/", 1)[-1] if o.clause else "",
            "name": o.name.get(lang, ""),
        }
        for o in all_obligations().values()
    ]
    if as_json:
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    words = WORDS[lang]
    header = f"{words['code']:<9} {words['severity']:<10} {words['clause']:<9} {words['name']}"
    lines = [header] + [
        f"{r['code']:<9} {r['severity']:<10} {r['clause']:<9} {r['name']}" for r in rows
    ]
    return "\n".join(lines) + "\n"


def explain_page(code: str, *, lang: str) -> str:
    obligations = all_obligations()
    if code not in obligations:
        raise InputError(f"unknown obligation code {code!r}; valid codes: {', '.join(obligations)}")
    o = obligations[code]
    words = WORDS[lang]
    shapes = load_shapes([code])
    ontology = _ontology()
    shape = URIRef(o.shape)
    lines = [f"{o.code} — {o.name.get(lang, '')}", "=" * 60, ""]
    lines.append(f"{words['severity']}: {o.severity}")
    if o.clause:
        clause = URIRef(o.clause)
        title = _label(ontology, clause, lang, (DCTERMS.title, RDFS.label))
        lines.append(f"{words['clause']}: {title} <{o.clause}>")
    lines += ["", f"{words['source']}:", f"  {o.clause_quote.get('zh', '')}"]
    lines += [f"{words['rendering']}:", f"  {o.clause_quote.get('en', '')}", ""]
    lines += [f"{words['checked']}:", f"  {o.comment.get(lang, '')}", ""]
    lines.append(f"{words['accountable']}:")
    path_list = shapes.value(shape, CIV.unitPath)
    if path_list is None:
        lines.append(f"  - {words['unit_self']}")
    else:
        paths = " | ".join(_short(path_to_sparql(shapes, p)) for p in shapes.items(path_list))
        lines.append(f"  - {words['unit'].format(path=paths)}")
    lines.append(f"  - {words['always']}")
    person_path = shapes.value(shape, CIV.responsiblePersonPath)
    if person_path is not None:
        lines.append(
            f"  - {words['person'].format(path=_short(path_to_sparql(shapes, person_path)))}"
        )
    for other in shapes.objects(shape, CIV.otherAccountable):
        role, path = shapes.value(other, CIV.accountableRole), shapes.value(other, CIV.path)
        if role is not None and path is not None:
            lines.append(
                f"  - {words['other'].format(role=role, path=_short(path_to_sparql(shapes, path)))}"
            )
    lines.append(f"  - {words['pursued']}")
    if o.sanctions:
        names = ", ".join(_label(ontology, URIRef(s), lang, (SKOS.prefLabel,)) for s in o.sanctions)
        lines.append(f"  - {words['sanctions']}: {names}")
    if o.escalated_sanctions:
        names = ", ".join(
            _label(ontology, URIRef(s), lang, (SKOS.prefLabel,)) for s in o.escalated_sanctions
        )
        lines.append(f"  - {words['escalated']}: {names}")
    messages = [
        str(m)
        for m in shapes.objects(None, SH.message)
        if isinstance(m, Literal) and m.language == lang
    ]
    if messages:
        lines += ["", "sh:message:"] + [f"  - {m}" for m in sorted(set(messages))]
    examples = resources.examples_folder() / code
    for key, filename in (("violating", "violates.ttl"), ("conforming", "conforms.ttl")):
        lines += ["", f"{words[key]} ({filename}):", "-" * 40]
        example = examples / filename
        lines.append(
            example.read_text(encoding="utf-8").rstrip()
            if example.is_file()
            else words["no_example"]
        )
    return "\n".join(lines) + "\n"
