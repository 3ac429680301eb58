"""The review page: source, translation and glossary side by side, as one offline HTML file.

``render`` is a pure function of the data (the articles' units, their PO files,
the glossary and `transflow check` findings) and returns the whole page: styles
and the filter script are inline, nothing is fetched (a Content-Security-Policy
says so to the browser too), so the file works from a USB stick. Every piece of
text from an article, a PO file or the glossary goes through ``html.escape``;
the policy allows only the page's own script (by hash), so even a slip in
escaping could not run a planted ``<script>``.
"""

import base64
import hashlib
import html
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import __version__, catalog, langs, pofile, risk
from .glossary import Glossary, source_matcher, target_matcher

REVIEWED, DRAFT, MISSING = "reviewed", "draft", "missing"
STATUS_LABELS = {REVIEWED: "reviewed", DRAFT: "MT draft", MISSING: "missing"}


@dataclass(frozen=True)
class Catalog:
    """The PO file of one article in one language (``po`` is None before the first translate)."""

    article: str  # the article's stem
    lang: str
    path: str  # as `check.check` names the file in its findings
    po: polib.POFile | None


def languages(locales: Path, stems) -> list[str]:
    """Every language under ``locales`` that has a PO file for one of the articles."""
    folders = sorted(d for d in Path(locales).iterdir() if d.is_dir()) if Path(locales).is_dir() else []
    # Looked up by name, not globbed: an article stem may hold glob characters ("[draft] x").
    return [d.name for d in folders
            if langs.is_valid(d.name) and any((d / "LC_MESSAGES" / f"{stem}.po").is_file() for stem in stems)]


def gather(articles, targets, locales: Path) -> list[Catalog]:
    """Load the PO file of every article in every target language (None where there is none yet)."""
    out = []
    for lang in targets:
        for art in articles:
            path = catalog.po_path(locales, lang, art.stem)
            out.append(Catalog(art.stem, lang, str(path), pofile.load(path) if path.exists() else None))
    return out


@dataclass
class _Row:
    unit: object
    lang: str
    entry: polib.POEntry | None
    findings: list = field(default_factory=list)

    @property
    def status(self) -> str:
        state = "untranslated" if self.entry is None else catalog.state(self.entry)
        return {"untranslated": MISSING, "fuzzy": DRAFT}.get(state, REVIEWED)

    @property
    def risk(self):
        """The draft's risk assessment (its `#. risk:` line), None for anything else."""
        return risk.of_entry(self.entry) if self.status == DRAFT else None


@dataclass
class Summary:
    """One language's progress on the page: the article's units by status (a sentence the
    article holds twice counts twice, where `transflow status` counts its one PO entry)
    and the `transflow check` findings (glossary, numbers, markup)."""

    lang: str
    counts: dict = field(default_factory=lambda: {REVIEWED: 0, DRAFT: 0, MISSING: 0})
    findings: int = 0  # every finding in this language's PO files
    stale: int = 0  # of those, on entries whose sentence is no longer in the article
    high_risk: int = 0  # article units whose MT draft is assessed high risk

    def text(self) -> str:
        c = self.counts
        units = sum(c.values())
        return (f"{self.lang}: {units} article units: {c[REVIEWED]} reviewed, {c[DRAFT]} drafts, {c[MISSING]} missing; "
                f"{self.findings} finding{'' if self.findings == 1 else 's'}; {self.high_risk} high-risk draft"
                f"{'' if self.high_risk == 1 else 's'}")


def _key(path: str) -> str:
    return os.path.normpath(os.path.abspath(path))


def _collect(articles, catalogs, findings):
    """Rows in article order (per unit, one per language) and the summary of each language."""
    targets = list(dict.fromkeys(c.lang for c in catalogs))
    by_catalog = {(c.article, c.lang): c for c in catalogs}
    entries = {key: _entries(c) for key, c in by_catalog.items()}
    by_entry = defaultdict(list)
    for f in findings:
        by_entry[(_key(f.file), f.msgid)].append(f)
    files = {_key(c.path): c.lang for c in catalogs}
    summaries = {lang: Summary(lang) for lang in targets}
    for f in findings:
        if _key(f.file) in files:
            summaries[files[_key(f.file)]].findings += 1

    groups = []  # (article, [[row per language] per unit])
    shown = set()
    for art in articles:
        units = []
        for unit in art.units:
            rows = []
            for lang in targets:
                cat = by_catalog.get((art.stem, lang))
                entry = entries.get((art.stem, lang), {}).get(unit.text)
                found = by_entry.get((_key(cat.path), unit.text), []) if cat else []
                if cat:
                    shown.add((_key(cat.path), unit.text))
                row = _Row(unit, lang, entry, found)
                summaries[lang].counts[row.status] += 1
                summaries[lang].high_risk += row.risk is not None and row.risk.level == risk.HIGH
                rows.append(row)
            units.append(rows)
        groups.append((art, units))
    for (path, msgid), found in by_entry.items():
        if path in files and (path, msgid) not in shown:
            summaries[files[path]].stale += len(found)
    return targets, groups, summaries


def summarize(articles, catalogs, findings) -> list[Summary]:
    """What the page's progress bars say, for a one-line report."""
    return list(_collect(articles, catalogs, findings)[2].values())


def render(articles, catalogs, glossary: Glossary, findings, source: str = "en") -> str:
    """The review page for ``articles`` (articles.Article) in the languages of ``catalogs``."""
    targets, groups, summaries = _collect(articles, catalogs, findings)
    smatch = source_matcher(glossary)
    tmatch = {lang: (target_matcher(glossary, lang), target_matcher(glossary, lang, "forbidden")) for lang in targets}
    title = f"Review: {articles[0].doc.name}" if len(articles) == 1 else f"Review: {len(articles)} articles"
    total = sum(len(rows) for _, units in groups for rows in units)
    body = [
        f'<header><h1>{_e(title)}</h1><p class="meta">{_e(_meta(articles, glossary, source))}</p></header>',
        _summary_html(summaries.values()),
        _filters_html(targets, total),
        '<table id="units">',
        '<colgroup><col class="c-ref"><col class="c-src"><col class="c-lang"><col class="c-tgt"><col class="c-status"></colgroup>',
        f'<thead><tr><th scope="col">Line</th><th scope="col">Source ({_e(source)})</th><th scope="col">Lang</th>'
        '<th scope="col">Translation</th><th scope="col">Status</th></tr></thead>',
    ]
    order = 0
    for art, units in groups:
        if len(articles) > 1:
            body.append(f'<tbody class="article"><tr><th colspan="5" scope="rowgroup">{_e(art.doc.name)}</th></tr></tbody>')
        for rows in units:
            # The unit's riskiest draft orders it when the reviewer sorts by risk.
            rank = max((r.risk.rank for r in rows if r.risk is not None), default=-1)
            body.append(f'<tbody class="unit" data-order="{order}" data-risk-rank="{rank}">')
            order += 1
            for i, row in enumerate(rows):
                body.append(_row_html(art, row, i, source, smatch, tmatch[row.lang]))
            body.append("</tbody>")
    body.append('</table><p id="empty" hidden>No row matches the filters.</p>')
    return _page(title, "\n".join(body))


def _entries(cat: Catalog | None) -> dict:
    if cat is None or cat.po is None:
        return {}
    return {e.msgid: e for e in cat.po if not e.obsolete and e.msgid}


def _meta(articles, glossary: Glossary, source: str) -> str:
    names = ", ".join(a.doc.name for a in articles)
    terms = f"glossary: {len(glossary)} terms ({glossary.version})" if len(glossary) else "no glossary"
    return f"{names} · source {langs.name(source)} · {terms} · transflow {__version__}"


def _summary_html(summaries) -> str:
    out = ['<section class="summary" aria-label="Progress per language">']
    for s in summaries:
        c = s.counts
        total = sum(c.values()) or 1
        segments = "".join(
            f'<span class="seg {status}" style="width:{100 * c[status] / total:.2f}%"></span>'
            for status in (REVIEWED, DRAFT, MISSING) if c[status]
        )
        label = f"{c[REVIEWED]} of {sum(c.values())} article units reviewed, {c[DRAFT]} drafts, {c[MISSING]} missing"
        stale = f' <span class="stale">({s.stale} on entries no longer in the article)</span>' if s.stale else ""
        finding_class = "findings-count bad" if s.findings else "findings-count"
        out.append(
            f'<div class="lang-summary" data-lang="{_e(s.lang)}">'
            f'<span class="lang-name"><b>{_e(s.lang)}</b> {_e(langs.name(s.lang))}</span>'
            f'<span class="bar" role="img" aria-label="{_e(label)}">{segments}</span>'
            f'<span class="counts"><span class="n reviewed">{c[REVIEWED]} reviewed</span> · '
            f'<span class="n draft">{c[DRAFT]} drafts</span> · <span class="n missing">{c[MISSING]} missing</span> · '
            f'<span class="{finding_class}">{s.findings} finding{"" if s.findings == 1 else "s"}</span>{stale} · '
            f'<span class="n high-risk">{s.high_risk} high-risk draft{"" if s.high_risk == 1 else "s"}</span></span>'
            "</div>"
        )
    out.append("</section>")
    return "\n".join(out)


def _filters_html(targets, total: int) -> str:
    options = "".join(f'<option value="{_e(t)}">{_e(t)} · {_e(langs.name(t))}</option>' for t in targets)
    return (
        '<div class="filters" id="filters" role="group" aria-label="Filters">'
        '<label><input type="checkbox" id="only-drafts"> Only MT drafts</label>'
        '<label><input type="checkbox" id="only-findings"> Only findings</label>'
        '<label>Risk <select id="only-risk"><option value="">any</option><option value="2">high</option>'
        '<option value="1">medium or high</option></select></label>'
        '<label>Order <select id="order"><option value="article">article</option>'
        '<option value="risk">highest risk first</option></select></label>'
        f'<label>Language <select id="only-lang"><option value="">all</option>{options}</select></label>'
        f'<output id="shown" aria-live="polite">{total} of {total} rows</output>'
        "</div>"
    )


def _row_html(art, row: _Row, index: int, source: str, smatch, tmatchers) -> str:
    unit, lang, entry = row.unit, row.lang, row.entry
    status = row.status
    classes = ["row", status] + (["has-findings"] if row.findings else []) + (["cont"] if index else [])
    src_marks = [(m.start, m.end, "term", _tip(m.term, lang)) for m in smatch.find(unit.text)]
    translation = ""
    forms = catalog.translations(entry) if entry is not None else [""]
    if any(forms):
        accepted, forbidden = tmatchers
        for i, text in enumerate(forms):
            # A plural entry shows each form, labelled as the PO file numbers them.
            label = f'<span class="form">msgstr[{i}]</span> ' if len(forms) > 1 or entry.msgid_plural else ""
            bad = [(m.start, m.end, "term bad", "forbidden rendering\n" + _tip(m.term, lang)) for m in forbidden.find(text)]
            good = [(m.start, m.end, "term ok", _tip(m.term, lang)) for m in accepted.find(text)]
            translation += f'<div class="text">{label}{_highlight(text, _without_overlaps(bad, good))}</div>'
    else:
        translation = '<div class="text none">no translation yet</div>'
    if row.findings:
        items = "".join(
            f'<li class="{_e(f.severity)}"><b>{_e(f.kind)}</b>{": " + _e(f.term) if f.term else ""} · {_e(f.message)}</li>'
            for f in row.findings
        )
        translation += f'<ul class="findings">{items}</ul>'
    assessed = row.risk
    if assessed is not None and assessed.reasons:
        items = "".join(f"<li>{_e(r)}</li>" for r in assessed.reasons)
        translation += f'<ul class="risk-reasons {assessed.level}" aria-label="why this draft is {assessed.level} risk">{items}</ul>'
    rank = assessed.rank if assessed is not None else -1
    risk_badge = f' <span class="badge risk {assessed.level}">{assessed.level} risk</span>' if assessed is not None else ""
    ref = f'<span class="line" title="{_e(art.doc.name)}:{unit.line}">{unit.line}</span><span class="kind">{_e(unit.kind)}</span>'
    return (
        f'<tr class="{" ".join(classes)}" data-lang="{_e(lang)}" data-status="{status}" data-findings="{len(row.findings)}">'
        f'<td class="ref">{ref}</td>'
        f'<td class="src" lang="{_e(source)}" dir="auto"><div class="text">{_highlight(unit.text, src_marks)}</div></td>'
        f'<td class="lang">{_e(lang)}</td>'
        f'<td class="tgt" lang="{_e(lang.replace("_", "-"))}" dir="auto">{translation}</td>'
        f'<td class="status" data-risk-rank="{rank}"><span class="badge {status}">{STATUS_LABELS[status]}</span>{risk_badge}</td>'
        "</tr>"
    )


def _tip(term, lang: str) -> str:
    """What a reviewer needs about a term in ``lang``: the approved rendering and the note."""
    r = term.rendering(lang)
    if r is None:
        lines = [f"{term.source}: no {lang} rendering in the glossary"]
    elif r.do_not_translate:
        lines = [f"{term.source}: do not translate"]
    else:
        lines = [f"{term.source} → {r.preferred}"]
        if r.allowed:
            lines.append("also: " + ", ".join(r.allowed))
        if r.forbidden:
            lines.append("never: " + ", ".join(r.forbidden))
    if term.note:
        lines.append(term.note)
    return "\n".join(lines)


def _without_overlaps(first, second):
    """``first`` wins where a span of ``second`` overlaps it (a forbidden rendering over an accepted one)."""
    kept = list(first)
    for s in second:
        if all(s[1] <= k[0] or s[0] >= k[1] for k in kept):
            kept.append(s)
    return sorted(kept)


def _highlight(text: str, marks) -> str:
    out, cursor = [], 0
    for start, end, cls, tip in sorted(marks):
        if start < cursor:
            continue
        out.append(_e(text[cursor:start]))
        out.append(f'<mark class="{cls}" tabindex="0" data-tip="{_e(tip)}">{_e(text[start:end])}</mark>')
        cursor = end
    out.append(_e(text[cursor:]))
    return "".join(out)


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CSS = """
:root{--fg:#1f2328;--muted:#656d76;--line:#d8dee4;--bg-head:#f6f8fa;--reviewed:#1a7f37;--draft:#d4a72c;--missing:#afb8c1;--bad:#cf222e;--bad-bg:#ffebe9;
--sans:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Helvetica Neue",Arial,"Noto Sans CJK SC","Noto Sans CJK JP","Noto Sans CJK KR","Source Han Sans","PingFang SC","Hiragino Sans","Apple SD Gothic Neo","Microsoft YaHei","Yu Gothic","Malgun Gothic","Noto Sans Arabic","Noto Sans Hebrew",sans-serif}
*{box-sizing:border-box}
html{font-family:var(--sans);font-size:14px;line-height:1.45;color:var(--fg);background:#fff}
:lang(ja){font-family:system-ui,"Noto Sans CJK JP","Source Han Sans JP","Hiragino Sans","Yu Gothic","Meiryo",var(--sans)}
:lang(ko){font-family:system-ui,"Noto Sans CJK KR","Source Han Sans KR","Apple SD Gothic Neo","Malgun Gothic",var(--sans);word-break:keep-all}
:lang(zh){font-family:system-ui,"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",var(--sans)}
:lang(zh-TW),:lang(zh-Hant){font-family:system-ui,"Noto Sans CJK TC","PingFang TC","Microsoft JhengHei",var(--sans)}
body{margin:0 auto;padding:16px 20px 32px;max-width:1400px}
h1{font-size:20px;margin:0 0 2px}
.meta{margin:0 0 12px;color:var(--muted);font-size:12px}
.summary{display:grid;gap:6px;margin-bottom:12px}
.lang-summary{display:grid;grid-template-columns:minmax(9em,max-content) minmax(120px,320px) 1fr;gap:12px;align-items:center}
.lang-name b{display:inline-block;min-width:2.4em}
.bar{display:flex;height:12px;border-radius:6px;overflow:hidden;background:var(--missing)}
.seg{display:block;height:100%}
.seg.reviewed{background:var(--reviewed)}.seg.draft{background:var(--draft)}.seg.missing{background:var(--missing)}
.counts{font-size:12.5px;color:var(--muted)}
.counts .n.reviewed{color:var(--reviewed)}
.findings-count.bad{color:var(--bad);font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;padding:8px 10px;margin-bottom:10px;background:var(--bg-head);border:1px solid var(--line);border-radius:6px;position:sticky;top:0;z-index:5}
.filters label{display:inline-flex;gap:5px;align-items:center;cursor:pointer}
.filters select{font:inherit;padding:1px 4px}
#shown{margin-inline-start:auto;color:var(--muted);font-size:12.5px}
table{width:100%;border-collapse:collapse;table-layout:fixed}
.c-ref{width:6.2em}.c-lang{width:3.2em}.c-status{width:6.8em}
th,td{padding:6px 8px;vertical-align:top;text-align:start;border-bottom:1px solid var(--line)}
thead th{background:var(--bg-head);font-size:12px;color:var(--muted);font-weight:600;border-bottom:2px solid var(--line)}
tbody.article th{font-size:15px;padding-top:16px;background:#fff}
tbody.unit tr.cont td{border-top:none}
tbody.unit tr.cont .ref>*,tbody.unit tr.cont .src>*{visibility:hidden}
tbody.unit tr:not(:last-child) td{border-bottom-style:dotted}
.ref{font-size:11.5px;color:var(--muted);overflow-wrap:anywhere}
.ref .kind{display:block;font-style:italic}
.lang{font-size:12px;color:var(--muted);font-weight:600}
.text{white-space:pre-wrap;overflow-wrap:break-word}
.text.none{color:var(--muted);font-style:italic}
.form{color:var(--muted);font-size:.8em;font-family:monospace}
mark.term{position:relative;background:#fff8c5;color:inherit;border-bottom:1px dotted #9a6700;border-radius:2px;cursor:help;outline:none;outline-offset:1px}
mark.term:focus{outline:2px solid #0969da}
mark.term.ok{background:#dafbe1;border-bottom-color:var(--reviewed)}
mark.term.bad{background:var(--bad-bg);border-bottom:2px solid var(--bad)}
mark.term:hover::after,mark.term:focus::after{content:attr(data-tip);position:absolute;inset-inline-start:0;top:calc(100% + 4px);z-index:10;width:max-content;max-width:26em;padding:6px 8px;border-radius:5px;background:#24292f;color:#fff;font-size:12px;font-weight:400;line-height:1.4;white-space:pre-line;box-shadow:0 2px 8px rgba(0,0,0,.25)}
.findings{margin:4px 0 0;padding:0;list-style:none;font-size:12.5px;color:var(--bad)}
.findings li{padding:2px 6px;margin-top:2px;background:var(--bad-bg);border-inline-start:3px solid var(--bad);border-radius:2px}
.findings li.warning{color:#a40e26;border-inline-start-style:dashed}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:11.5px;font-weight:600;white-space:nowrap}
.badge.reviewed{background:#dafbe1;color:var(--reviewed)}
.badge.draft{background:#fff8c5;color:#7d4e00}
.badge.missing{background:#eaeef2;color:var(--muted)}
tr.has-findings .status .badge{box-shadow:inset 0 0 0 1px var(--bad)}
.badge.risk{margin-top:3px}.badge.risk.high{background:var(--bad-bg);color:var(--bad)}.badge.risk.medium{background:#fff1e5;color:#9a6700}.badge.risk.low{background:#eaeef2;color:var(--muted)}
.risk-reasons{margin:4px 0 0;padding:0 0 0 1.2em;font-size:12.5px;color:#7d4e00}.risk-reasons.high{color:var(--bad)}
.counts .n.high-risk{color:var(--bad)}
#empty{color:var(--muted);font-style:italic}
@media print{
html{font-size:10pt}
body{max-width:none;padding:0}
.filters,#empty{display:none}
mark.term::after{display:none!important}
mark.term{background:none;border-bottom-style:solid}
.bar,.seg,.badge,.findings li{-webkit-print-color-adjust:exact;print-color-adjust:exact}
thead{display:table-header-group}
tr{break-inside:avoid}
}
"""

# Filters work offline: rows carry their language, status and number of findings.
# The source of a unit is shown once, on its first visible row.
_SCRIPT = """
(function(){
var drafts=document.getElementById("only-drafts"),withFindings=document.getElementById("only-findings"),
lang=document.getElementById("only-lang"),risk=document.getElementById("only-risk"),order=document.getElementById("order"),
shown=document.getElementById("shown"),empty=document.getElementById("empty"),table=document.getElementById("units");
function sort(){
var bodies=Array.prototype.slice.call(table.tBodies),groups=[],group=null;
for(var i=0;i<bodies.length;i++){var tb=bodies[i];
if(tb.classList.contains("article")||!group){group={head:tb.classList.contains("article")?tb:null,units:[]};groups.push(group);}
if(!tb.classList.contains("article"))group.units.push(tb);}
var byRisk=order.value==="risk";
groups.forEach(function(g){
g.units.sort(function(a,b){var r=byRisk?b.dataset.riskRank-a.dataset.riskRank:0;return r||a.dataset.order-b.dataset.order;});
if(g.head)table.appendChild(g.head);g.units.forEach(function(u){table.appendChild(u);});});}
function apply(){
var visible=0,total=0,bodies=document.querySelectorAll("#units tbody"),heading=null,any=false;
for(var i=0;i<bodies.length;i++){var tb=bodies[i];
if(tb.classList.contains("article")){if(heading)heading.hidden=!any;heading=tb;any=false;continue;}
var first=true,rows=tb.rows;
for(var j=0;j<rows.length;j++){var tr=rows[j];total++;
var show=(!drafts.checked||tr.dataset.status==="draft")&&(!withFindings.checked||tr.dataset.findings!=="0")&&(!lang.value||tr.dataset.lang===lang.value)&&(!risk.value||+tr.cells[4].dataset.riskRank>=+risk.value);
tr.hidden=!show;if(show){tr.classList.toggle("cont",!first);first=false;visible++;}}
tb.hidden=first;if(!first)any=true;}
if(heading)heading.hidden=!any;
shown.textContent=visible+" of "+total+" rows";empty.hidden=visible>0;}
[drafts,withFindings,lang,risk].forEach(function(el){el.addEventListener("change",apply);});
order.addEventListener("change",function(){sort();apply();});
apply();
})();
"""


def _page(title: str, body: str) -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; form-action 'none'; base-uri 'none'"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="transflow {_e(__version__)}">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n{body}\n"
        f"<script>{_SCRIPT}</script>\n</body>\n</html>\n"
    )
