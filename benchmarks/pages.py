"""Real web pages: the article translated, the rest of the page left as it is, the page rebuilt intact.

    .venv/bin/python benchmarks/pages.py                  # every English site once, with real MT (~20 min)
    .venv/bin/python benchmarks/pages.py --no-mt          # what is offered for translation only (~1 min)
    .venv/bin/python benchmarks/pages.py --pages PATH     # the pages from elsewhere
    .venv/bin/python benchmarks/pages.py --limit 10 --json figures.json

The pages are those of scrapinghub's article-extraction-benchmark (181 news and blog
pages as their sites served them, each with the article's text as a reader sees it,
``articleBody``, marked by a person): PATH is a clone of that repository or its bare
git directory (default: ``$TRANSFLOW_PAGES``, else the mirror this project's machines
keep). They are read from there and never copied into this repository. Used: the
English ones (at least 60% of the first 300 words of the article are common English
words, wordfreq), one page per site (``--every-page`` for all of them).

Per page and pooled over the pages, with ``--content main`` (and the same figures
for ``--content all`` beside them):

- **recall**: the share of the article's sentences that transflow offers for
  translation. The article text is split into sentences (by line, then transflow's
  splitter). Words are ``\\w+`` runs with a letter in them, lower-cased, markup
  markers taken out. A sentence is offered when 90% of its word trigrams are among
  those of the units transflow offers, read in page order as one stream of words (a
  sentence may span two units: a table row's cells, a sentence the page splits with a
  tag); a sentence of one or two words when it occurs in that stream as written.
  Sentences with no word, and those transflow leaves out as not language
  (nonlanguage.py: an address, a date in figures), are not counted; their number is
  given.
- **non-article units and characters**: each distinct unit (what MT is sent) is the
  article when half of its word trigrams are in the article text (a unit of one or two
  words: when it occurs in it as written); else it is *about the article* when it is
  the page's title, description or link-preview title (``<title>``, ``<meta>``) or its
  ``<h1>`` headline, or a caption, credit, byline or alt text that stands between the
  first unit of the article text (or the headline before it) and the last (what the
  person's article text leaves out but a reader sees with the article); else it is
  **not the article**. The shares
  of units and characters not the article are the goal's figures (strictly: also
  counting those about the article).
- **MT time** (with real MT): `transflow translate PAGE --to pt --no-tm --no-risk`
  in this process with the embedded en->pt model loaded once (and warmed up): the
  seconds spent in the model's translate calls, against the same for the article
  text alone (articleBody as a plain-text article); page and article in turns, the
  best of two of each (``--repeat``). Goal: the page takes at most 3 times what its
  article takes. Beside it, the characters each sent to the model (placeholders,
  second passes and long units' pieces included): the same comparison without the
  noise of a shared machine, where the article text of one page took 0.45 s in one
  run and 1.26 s in another.
- **tags**: the page built from that PO file (`transflow build`, every draft used)
  against the source: the count of each start and end tag and every ``id``, as
  Python's html.parser reads them, and the count of each element as lxml's HTML
  parser builds the tree. Goal: all equal, on every page.
- **time per page**: reading and segmenting, the whole translate call, the build.

Also counted: drafts whose markup the translate run repaired or could not (and so
built from the source), and drafts with a parenthesis the source lacks ("(em
inglês)").
"""

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve() and "TRANSFLOW_BENCH_REEXEC" not in os.environ:
    os.environ["TRANSFLOW_BENCH_REEXEC"] = "1"
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
sys.path.insert(0, str(ROOT / "src"))

DEFAULT_PAGES = os.environ.get("TRANSFLOW_PAGES", "/work/.mirror/scrapinghub+article-extraction-benchmark/repo")
GOALS = {"recall": 0.97, "non_article_units": 0.10, "mt_ratio": 3.0}
_WORD = re.compile(r"\w+")
_LETTER = re.compile(r"[^\W\d_]")


# --- the pages ---------------------------------------------------------------------


class Pages:
    """The benchmark's pages: a checkout (ground-truth.json, html/KEY.html.gz) or its bare git directory."""

    def __init__(self, path: Path):
        self.path = path
        self.bare = (path / "HEAD").is_file() and (path / "objects").is_dir()
        if not self.bare and not (path / "ground-truth.json").is_file():
            raise FileNotFoundError(path)
        self.truth = json.loads(self._read("ground-truth.json"))

    def _read(self, name: str) -> bytes:
        if self.bare:
            return subprocess.run(["git", "--git-dir", str(self.path), "show", f"HEAD:{name}"],
                                  capture_output=True, check=True).stdout
        return (self.path / name).read_bytes()

    def html(self, key: str) -> str:
        data = self._read(f"html/{key}.html.gz")
        return gzip.decompress(data).decode("utf-8")


def english(text: str) -> bool:
    from wordfreq import zipf_frequency

    words = re.findall(r"[^\W\d_]+", text.lower())[:300]
    return bool(words) and sum(zipf_frequency(w, "en") > 3.5 for w in words) / len(words) >= 0.6


def chosen(pages: Pages, every_page: bool) -> list[str]:
    keys, sites = [], set()
    for key in sorted(pages.truth):
        item = pages.truth[key]
        site = urlparse(item.get("url", "")).netloc
        if not english(item.get("articleBody", "")) or (site in sites and not every_page):
            continue
        sites.add(site)
        keys.append(key)
    return keys


# --- matching ----------------------------------------------------------------------


def words(text: str) -> list[str]:
    from transflow.placeholders import TOKEN

    return [w.lower() for w in _WORD.findall(TOKEN.sub(" ", text)) if _LETTER.search(w)]


def trigrams(ws: list[str]) -> list[tuple]:
    return list(zip(ws, ws[1:], ws[2:]))


class Stream:
    """Texts read as one stream of words: how much of another text is in it."""

    def __init__(self, texts):
        ws = [w for t in texts for w in words(t)]
        self.joined = " " + " ".join(ws) + " "
        self.grams = set(trigrams(ws))

    def covered(self, text: str) -> float | None:
        ws = words(text)
        if not ws:
            return None
        if len(ws) < 3:
            return 1.0 if " " + " ".join(ws) + " " in self.joined else 0.0
        grams = trigrams(ws)
        return sum(g in self.grams for g in grams) / len(grams)


def sentences(body: str) -> list[str]:
    from transflow.segment import split_sentences

    out = []
    for line in body.split("\n"):
        out += [line[s:e] for s, e in split_sentences(line)] if line.strip() else []
    return out


_ABOUT_PAGE = {"title", "h1"}


def offered(doc, units, body: str) -> dict:
    """Recall and the article share of ``units`` (one page's, in page order)."""
    from transflow import document as d
    from transflow import nonlanguage

    stream = Stream(u.text for u in units)
    counted = missed = not_language = 0
    misses = []
    for s in sentences(body):
        if not words(s):
            continue
        if nonlanguage.why_not(s):
            not_language += 1
            continue
        counted += 1
        if stream.covered(s) < 0.9:
            missed += 1
            misses.append(s)
    article = Stream([body])
    first = {}
    for u in units:
        first.setdefault(u.text, u)
    distinct = list(first.values())
    inside = [u.start for u in distinct if (article.covered(u.text) or 0) >= 0.5]
    lo, hi = (min(inside), max(inside)) if inside else (0, -1)
    # the headline, when it comes before the article text, opens the article
    heads = [b.start for b in doc.blocks if getattr(b.element, "tag", "") == "h1" and b.start < lo]
    lo = heads[-1] if heads else lo
    kinds = Counter()
    chars = Counter()
    non = []
    for u in distinct:
        if (article.covered(u.text) or 0) >= 0.5:
            kind = "article"
        else:
            element = doc.blocks[u.block].element
            tag = getattr(element, "tag", "")
            if u.kind == d.METADATA or tag in _ABOUT_PAGE or (
                    u.kind in (d.CAPTION, d.CREDIT, d.BYLINE, d.ALT_TEXT, d.TOOLTIP) and lo <= u.start <= hi):
                kind = "about"
            else:
                kind = "non"
                non.append(u.text)
        kinds[kind] += 1
        chars[kind] += len(u.text)
    return {"sentences": counted, "missed": missed, "not_language": not_language, "misses": misses,
            "units": len(distinct), "kinds": dict(kinds), "chars": dict(chars), "non": non}


# --- tags --------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.starts, self.ends, self.ids = Counter(), Counter(), Counter()

    def handle_starttag(self, tag, attrs):
        self.starts[tag] += 1
        for k, v in attrs:
            if k == "id":
                self.ids[v] += 1

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.ends[tag] += 1


def tags(text: str) -> dict:
    import lxml.html

    parser = _Tags()
    parser.feed(text)
    parser.close()
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"))
        elements = Counter(e.tag for e in tree.iter() if isinstance(e.tag, str))
    except Exception as e:  # noqa: BLE001 - a page lxml cannot read is reported, not fatal
        elements = Counter({f"lxml failed: {e}": 1})
    return {"starts": parser.starts, "ends": parser.ends, "ids": parser.ids, "elements": elements}


def stretched(source: str, draft: str) -> int:
    """How many marker pairs of ``draft`` hold half of its words or more where the
    source's pair holds less than half of its words: a link stretched over the sentence."""
    from transflow import placeholders

    def share(text: str, n: int) -> float:
        m = re.search(rf"\[{n}\](.*?)\[/{n}\]", text, re.DOTALL)
        total = len(_MARKER_WORDS.findall(placeholders.TOKEN.sub(" ", text))) or 1
        return len(_MARKER_WORDS.findall(placeholders.TOKEN.sub(" ", m.group(1)))) / total if m else 0.0
    return sum(1 for n in placeholders.unit_table(source).pairs if share(source, n) < 0.5 <= share(draft, n))


_MARKER_WORDS = re.compile(r"\w+")


def tag_differences(source: str, built: str) -> list[str]:
    a, b = tags(source), tags(built)
    out = []
    for what in ("starts", "ends", "ids", "elements"):
        for key in sorted(set(a[what]) | set(b[what])):
            if a[what][key] != b[what][key]:
                out.append(f"{what} {key}: {a[what][key]} -> {b[what][key]}")
    return out


# --- MT ----------------------------------------------------------------------------


class Timed:
    """The loaded engine, timed: pipeline.translate loads it through engines.load_engine."""

    def __init__(self, engine):
        self.engine = engine
        self.info = getattr(engine, "info", None)
        self.seconds = 0.0
        self.characters = 0  # what the model was sent: the cost that no load on the machine moves

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def translate(self, texts, *args, **kwargs):
        texts = list(texts)
        self.characters += sum(len(t) for t in texts)
        started = time.perf_counter()
        try:
            return self.engine.translate(texts, *args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started

    def close(self):
        pass  # kept for the next page


def translate(path: Path, locales: Path, timed: Timed, content: str):
    from transflow import pipeline

    timed.seconds, timed.characters = 0.0, 0
    started = time.perf_counter()
    pipeline.translate([path], ["pt"], locales=locales, tm=None, risk=False, content=content, jobs=os.cpu_count())
    return time.perf_counter() - started, timed.seconds, timed.characters


# --- one page ----------------------------------------------------------------------


def measure(key: str, item: dict, source: str, folder: Path, timed: Timed | None, all_too: bool, repeat: int = 2) -> dict:
    from transflow import build, catalog, placeholders, pofile
    from transflow.readers import read
    from transflow.segment import segment

    page = folder / f"{key[:16]}.html"
    page.write_text(source, encoding="utf-8")
    row = {"key": key, "site": urlparse(item.get("url", "")).netloc}
    for content in ("main", "all"):
        started = time.perf_counter()
        doc = read(page, content=content)
        units = segment(doc)
        row[f"segment_s_{content}"] = time.perf_counter() - started
        row[content] = offered(doc, units, item["articleBody"])
        if content == "main":
            main_doc, main_units = doc, units
    if timed is None:
        return row
    locales = folder / "locales"
    article = folder / f"{key[:16]}-article.txt"
    article.write_text(item["articleBody"] + "\n", encoding="utf-8")
    # Page and article text in turns, each ``repeat`` times into fresh PO files, the
    # best of each kept: a shared machine's load moves single runs of small pages.
    page_runs, article_runs = [], []
    for k in range(repeat):
        page_runs.append(translate(page, folder / f"locales-{k}" if k else locales, timed, "main"))
        article_runs.append(translate(article, folder / f"article-{k}", timed, "main"))
    row["translate_s"], row["mt_s"], row["mt_chars"] = min(page_runs, key=lambda run: run[1])
    row["article_mt_s"], row["article_mt_chars"] = min(r[1] for r in article_runs), article_runs[0][2]
    po = pofile.load(catalog.po_path(locales, "pt", page.stem))
    started = time.perf_counter()
    built = build.build(main_doc, main_units, po)
    row["build_s"] = time.perf_counter() - started
    row["tag_differences"] = tag_differences(source, built.text)
    row["repaired_in_build"] = built.repaired
    entries = [e for e in po if not e.obsolete and e.msgstr]
    row["drafts"] = len(entries)
    row["markup_problems"] = [(e.msgid, placeholders.problems(e.msgid, e.msgstr)) for e in entries
                              if placeholders.problems(e.msgid, e.msgstr)]
    lines = [line for e in entries for line in e.comment.splitlines()]
    row["markers_repaired"] = sum(line.startswith("mt: markers repaired") for line in lines)
    row["notes_taken_out"] = sum(line.startswith("mt: taken out") for line in lines)
    row["stretched_links"] = sum(stretched(e.msgid, e.msgstr) for e in entries)
    row["guessed"] = sum(1 for line in lines if line.startswith("mt: ") and placeholders.guessed(line[4:]))
    row["links"] = sum(len(placeholders.unit_table(e.msgid).pairs) for e in entries)
    row["added_parentheses"] = [e.msgstr for e in entries if re.search(r"\((?:em|in) ingl", e.msgstr, re.IGNORECASE)
                                and "english" not in e.msgid.lower()]
    if all_too:
        _, row["mt_s_all"], row["mt_chars_all"] = translate(page, folder / "locales-all", timed, "all")
    return row


# --- report ------------------------------------------------------------------------


def pooled(rows: list[dict], content: str) -> dict:
    sentences = sum(r[content]["sentences"] for r in rows)
    missed = sum(r[content]["missed"] for r in rows)
    units = sum(r[content]["units"] for r in rows)
    kinds, chars = Counter(), Counter()
    for r in rows:
        kinds.update(r[content]["kinds"])
        chars.update(r[content]["chars"])
    total_chars = sum(chars.values())
    return {
        "pages": len(rows), "sites": len({r["site"] for r in rows}),
        "sentences": sentences, "offered": sentences - missed, "recall": (sentences - missed) / max(1, sentences),
        "not_language_sentences": sum(r[content]["not_language"] for r in rows),
        "units": units, "article_units": kinds["article"], "about_units": kinds["about"], "non_article_units": kinds["non"],
        "non_article_share": kinds["non"] / max(1, units), "non_article_char_share": chars["non"] / max(1, total_chars),
        "strict_non_article_share": (kinds["non"] + kinds["about"]) / max(1, units),
        "strict_non_article_char_share": (chars["non"] + chars["about"]) / max(1, total_chars),
    }


def report(rows: list[dict], mt: bool) -> dict:
    print(f"{'site':34} {'units':>5} {'non':>5} {'recall':>9}  {'all: units':>10} {'non':>5} {'recall':>9}"
          + (f"  {'MT s':>6} {'art. s':>6} {'ratio':>5} {'chars':>5} {'tags':>5} {'total s':>7}" if mt else ""))
    for r in rows:
        m, a = r["main"], r["all"]
        line = (f"{r['site'][:34]:34} {m['units']:5} {m['kinds'].get('non', 0) / max(1, m['units']):5.0%} "
                f"{m['sentences'] - m['missed']:4}/{m['sentences']:<4}  {a['units']:10} {a['kinds'].get('non', 0) / max(1, a['units']):5.0%} "
                f"{a['sentences'] - a['missed']:4}/{a['sentences']:<4}")
        if mt:
            ratio = r["mt_s"] / max(1e-9, r["article_mt_s"])
            line += (f"  {r['mt_s']:6.2f} {r['article_mt_s']:6.2f} {ratio:5.2f} {r['mt_chars'] / max(1, r['article_mt_chars']):5.2f} "
                     f"{'ok' if not r['tag_differences'] else 'DIFF':>5} "
                     f"{r['segment_s_main'] + r['translate_s'] + r['build_s']:7.2f}")
        print(line)
    figures = {content: pooled(rows, content) for content in ("main", "all")}
    for content, f in figures.items():
        print(f"\n--content {content}: {f['pages']} pages of {f['sites']} sites; recall {f['offered']}/{f['sentences']} = "
              f"{f['recall']:.2%} (goal >= {GOALS['recall']:.0%}; {f['not_language_sentences']} sentences not language, not counted); "
              f"units {f['units']}: article {f['article_units']}, about the article {f['about_units']}, not the article "
              f"{f['non_article_units']} = {f['non_article_share']:.2%} of units (goal <= {GOALS['non_article_units']:.0%}), "
              f"{f['non_article_char_share']:.2%} of characters; counting what is about the article as not the article: "
              f"{f['strict_non_article_share']:.2%} of units, {f['strict_non_article_char_share']:.2%} of characters")
    if mt:
        ratios = [r["mt_s"] / max(1e-9, r["article_mt_s"]) for r in rows]
        worst = max(range(len(rows)), key=lambda i: ratios[i])
        damaged = [r for r in rows if r["tag_differences"]]
        mt_main, mt_article = sum(r["mt_s"] for r in rows), sum(r["article_mt_s"] for r in rows)
        chars = [r["mt_chars"] / max(1, r["article_mt_chars"]) for r in rows]
        most = max(range(len(rows)), key=lambda i: chars[i])
        figures["mt"] = {
            "mt_s": mt_main, "article_mt_s": mt_article, "ratio_pooled": mt_main / max(1e-9, mt_article),
            "chars_ratio_pooled": sum(r["mt_chars"] for r in rows) / max(1, sum(r["article_mt_chars"] for r in rows)),
            "chars_ratio_max": chars[most], "chars_ratio_max_site": rows[most]["site"],
            "ratio_max": ratios[worst], "ratio_max_site": rows[worst]["site"],
            "pages_over_goal": [rows[i]["site"] for i, x in enumerate(ratios) if x > GOALS["mt_ratio"]],
            "pages_with_tag_differences": len(damaged),
            "drafts": sum(r["drafts"] for r in rows),
            "markup_problems_in_po": sum(len(r["markup_problems"]) for r in rows),
            "markers_repaired": sum(r["markers_repaired"] for r in rows),
            "repaired_in_build": sum(r["repaired_in_build"] for r in rows),
            "notes_taken_out": sum(r["notes_taken_out"] for r in rows),
            "stretched_links": sum(r["stretched_links"] for r in rows), "links": sum(r["links"] for r in rows),
            "guessed": sum(r["guessed"] for r in rows),
            "added_parentheses": sum(len(r["added_parentheses"]) for r in rows),
            "translate_s": sum(r["translate_s"] for r in rows), "segment_s": sum(r["segment_s_main"] for r in rows),
            "build_s": sum(r["build_s"] for r in rows),
            "page_s_max": max(r["segment_s_main"] + r["translate_s"] + r["build_s"] for r in rows),
        }
        if any("mt_s_all" in r for r in rows):
            figures["mt"]["mt_s_all"] = sum(r.get("mt_s_all", 0) for r in rows)
        m = figures["mt"]
        print(f"\nMT (embedded en->pt, --no-tm --no-risk): pages {m['mt_s']:.1f} s, their article texts alone "
              f"{m['article_mt_s']:.1f} s: {m['ratio_pooled']:.2f}x pooled, at most {m['ratio_max']:.2f}x ({m['ratio_max_site']}; "
              f"goal <= {GOALS['mt_ratio']:.0f}x; over it: {', '.join(m['pages_over_goal']) or 'none'})"
              + (f"; --content all: {m['mt_s_all']:.1f} s" if "mt_s_all" in m else "")
              + f"; characters sent to the model: {m['chars_ratio_pooled']:.2f}x pooled, at most {m['chars_ratio_max']:.2f}x "
              f"({m['chars_ratio_max_site']})")
        print(f"Built pages with other tag counts or ids than the source: {m['pages_with_tag_differences']} of {len(rows)}")
        for r in damaged:
            print(f"  {r['site']}: " + "; ".join(r["tag_differences"][:8]))
        print(f"Drafts: {m['drafts']}; markers differing from the source's in the PO: {m['markup_problems_in_po']}; "
              f"markers repaired (said in the PO): {m['markers_repaired']}; units the build had to repair: "
              f"{m['repaired_in_build']}; '(em inglês)' taken out: {m['notes_taken_out']}, "
              f"left in drafts whose source does not mention English: {m['added_parentheses']}")
        print(f"Marker pairs stretched (around half the draft or more, less than half of the source): "
              f"{m['stretched_links']} of {m['links']}; drafts with a link put back by guess (risk high): {m['guessed']}")
        print(f"Time: segmenting {m['segment_s']:.1f} s, translate {m['translate_s']:.1f} s, build {m['build_s']:.1f} s in all; "
              f"the slowest page {m['page_s_max']:.1f} s")
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default=DEFAULT_PAGES, help="a clone of scrapinghub/article-extraction-benchmark, or its bare git directory")
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--site", help="only the pages whose site's name has this in it")
    parser.add_argument("--every-page", action="store_true", help="every English page, not one per site")
    parser.add_argument("--no-mt", action="store_true", help="what is offered only: no MT, no build")
    parser.add_argument("--all-too", action="store_true", help="also time MT of every block (--content all)")
    parser.add_argument("--repeat", type=int, default=2, help="MT of each page and article text, the best of N (default 2)")
    parser.add_argument("--misses", action="store_true", help="print the sentences missed and the units not the article")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    try:
        pages = Pages(Path(args.pages))
    except (FileNotFoundError, subprocess.CalledProcessError):
        print(f"no pages at {args.pages}: pass --pages with a clone of scrapinghub/article-extraction-benchmark "
              f"(or its bare git directory), or set TRANSFLOW_PAGES", file=sys.stderr)
        return 2
    keys = [k for k in chosen(pages, args.every_page) if not args.site or args.site in pages.truth[k].get("url", "")][: args.limit]
    timed = None
    if not args.no_mt:
        from transflow import engines

        timed = Timed(engines.load_engine(engines.find_model("en", "pt"), jobs=os.cpu_count()))
        timed.translate(["The model is warmed up before the first page is timed."])
        engines.load_engine = lambda info, jobs=None: timed
    rows = []
    with tempfile.TemporaryDirectory(prefix="transflow-pages-") as tmp:
        for key in keys:
            folder = Path(tmp) / key[:16]
            folder.mkdir()
            rows.append(measure(key, pages.truth[key], pages.html(key), folder, timed, args.all_too, args.repeat))
            if args.misses:
                for s in rows[-1]["main"]["misses"]:
                    print(f"  missed  {rows[-1]['site']}: {s[:110]}")
                for u in rows[-1]["main"]["non"]:
                    print(f"  not art {rows[-1]['site']}: {u[:110]}")
    figures = report(rows, not args.no_mt)
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "pages": rows}, indent=1, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
