"""`transflow review`: the offline review page, as HTML and in a real headless Chromium.

The data is real: PO files made by the pipeline (the embedded en->pt model, and a
test-built Argos en->ar package for a right-to-left column), a few entries reviewed
by hand, a planted wrong rendering, and the findings of `check.check`.
"""

import base64
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import EXAMPLE, GLOSSARY, ROOT
from system_tools import requires

from transflow import check, pipeline, pofile, review
from transflow import glossary as g
from transflow.cli import main
from transflow.glossary import Glossary, Rendering, Term

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = ROOT / "docs" / "review.png"

requires_chromium = requires("chromium", "chromedriver")

PLANTED = 'The leaflet read <script>window.__pwned = "source"</script> in red letters.'
PLANTED_MT = 'O folheto dizia <img src=x onerror="window.__pwned = \'img\'"><script>window.__pwned = "target"</script>.'
WRONG = "Um trânsfuga disse aos investigadores que os guardas a acusaram de traição por deixar o país."
ARABIC = "جماعات حقوقية تحث الصين على إنهاء الإعادة القسرية للكوريين الشماليين"


def _po(locales, lang, stem):
    return Path(locales) / lang / "LC_MESSAGES" / f"{stem}.po"


def _edit(path, edits):
    """Hand review: {source prefix: new msgstr or None (accept the draft as it is)}; clears fuzzy."""
    po = pofile.load(path)
    for prefix, msgstr in edits.items():
        entry = next(e for e in po if e.msgid.startswith(prefix))
        if msgstr is not None:
            entry.msgstr = msgstr
        entry.flags = [f for f in entry.flags if f != "fuzzy"]
    pofile.write(po, path)


def _page(article, locales, targets, glossary):
    arts = pipeline.load_articles([article], "en")
    catalogs = review.gather(arts, targets, locales)
    return review.render(arts, catalogs, glossary, check.check([locales], glossary)), arts, catalogs


@pytest.fixture(scope="module")
def glossary():
    return g.load(GLOSSARY)


@pytest.fixture(scope="module")
def data(tmp_path_factory, glossary):
    """The example article plus a planted <script> sentence, translated to pt and ar, partly reviewed."""
    root = tmp_path_factory.mktemp("review")
    home = root / "home"
    with pytest.MonkeyPatch.context() as mp:
        # The same isolation conftest gives each test: only the models this fixture installs.
        for var, sub in (("TRANSFLOW_ARGOS_DIR", "argos"), ("ARGOS_PACKAGES_DIR", "argos-packages"),
                         ("TRANSFLOW_BERGAMOT_CACHE", "fx"), ("XDG_DATA_HOME", "data"),
                         ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")):
            mp.setenv(var, str(home / sub))
        mp.setenv("SOURCE_DATE_EPOCH", "1764316800")
        from transflow.engines.argos_install import install_package

        install_package(build_argos_package(root / "pkg", source="en", target="ar"), home / "argos")
        article = root / EXAMPLE.name
        article.write_text(EXAMPLE.read_text(encoding="utf-8") + "\n" + PLANTED + "\n", encoding="utf-8")
        locales = root / "locales"
        pipeline.translate([article], ["pt"], glossary=glossary, locales=locales, engine="bergamot")
        pipeline.translate([article], ["ar"], glossary=glossary, locales=locales, engine="argos")
    stem = article.stem
    _edit(_po(locales, "pt", stem), {
        "Rights groups urge": None,
        "A coalition of human rights": None,
        "One defector told": WRONG,  # "defector" must be "desertor": a [missing] error
        "The leaflet read": PLANTED_MT,
    })
    _edit(_po(locales, "ar", stem), {"Rights groups urge": ARABIC})
    html, arts, catalogs = _page(article, locales, ["pt", "ar"], glossary)
    page = root / "review.html"
    page.write_text(html, encoding="utf-8")
    return {"root": root, "article": article, "locales": locales, "page": page, "html": html,
            "arts": arts, "catalogs": catalogs, "findings": check.check([locales], glossary)}


# --- the HTML itself ---------------------------------------------------------------


def test_every_text_is_escaped(data):
    html = data["html"]
    assert len(re.findall(r"<script\b", html)) == 1, "only the page's own script"
    assert "&lt;script&gt;window.__pwned = &quot;source&quot;&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html
    assert "<img" not in html


def test_self_contained_with_a_policy_that_allows_only_its_own_script(data):
    html = data["html"]
    for external in ("src=", "href=", "url(", "@import", "<link", "<iframe", "<object"):
        assert external not in html.replace("&lt;img src=x", ""), external
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in policy and f"script-src 'sha256-{digest}'" in policy


def test_rows_follow_the_article_with_status_terms_and_findings(data, glossary):
    html, [art] = data["html"], data["arts"]
    rows = re.findall(r'<tr class="row ([^"]*)" data-lang="(\w+)" data-status="(\w+)" data-findings="(\d+)">', html)
    assert len(rows) == 2 * len(art.units)
    assert [lang for _, lang, _, _ in rows[:4]] == ["pt", "ar", "pt", "ar"]
    # The first units were reviewed in pt; in ar only the heading.
    assert [s for _, _, s, _ in rows[:4]] == ["reviewed", "reviewed", "reviewed", "draft"]
    sources = re.findall(r'<td class="src" lang="en" dir="auto"><div class="text">(.*?)</div>', html)
    assert re.sub(r"<[^>]+>", "", sources[0]) == art.units[0].text
    assert len(re.findall(r'<td class="tgt" lang="(?:pt|ar)" dir="auto">', html)) == len(rows)
    # Glossary terms in source and translation, with the approved rendering and the note in the tooltip.
    defector = glossary.by_id("defector")
    tip = re.search(r'<mark class="term" tabindex="0" data-tip="([^"]*)">defector</mark>', html).group(1)
    assert "defector → desertor" in tip and defector.note in tip
    assert re.search(r'<mark class="term ok" [^>]*>não devolução</mark>', html)
    # The planted wrong rendering: an error finding on its row, in the findings list.
    row = re.search(r'<tr class="row reviewed has-findings"[^>]*data-lang="pt"[^>]*>(?:(?!</tr>).)*trânsfuga(?:(?!</tr>).)*</tr>', html, re.S)
    assert row and '<li class="error"><b>missing</b>: defector' in row.group(0)


def test_summary_counts_per_language(data):
    [art] = data["arts"]
    n = len(art.units)
    counts = {lang: (r, d, m, f) for lang, r, d, m, f in re.findall(
        r'data-lang="(\w+)">.*?(\d+) reviewed</span> · .*?(\d+) drafts</span> · .*?(\d+) missing</span> · '
        r'<span class="findings-count[^"]*">(\d+) finding', data["html"])}
    pt_findings = sum(1 for f in data["findings"] if "/pt/" in f.file)
    assert counts["pt"] == ("4", str(n - 4), "0", str(pt_findings))
    assert counts["ar"] == ("1", str(n - 1), "0", str(sum(1 for f in data["findings"] if "/ar/" in f.file)))


def _tiny(tmp_path, text, glossary=None, po=None, lang="ko", findings=()):
    path = tmp_path / "tiny.txt"
    path.write_text(text, encoding="utf-8")
    arts = pipeline.load_articles([path], "en")
    cat = review.Catalog("tiny", lang, str(tmp_path / f"{lang}.po"), po)
    return review.render(arts, [cat], glossary or Glossary(), list(findings)), arts


def test_language_without_po_file_is_all_missing(tmp_path):
    html, [art] = _tiny(tmp_path, "First sentence here. Second one there.\n")
    assert html.count('data-status="missing"') == len(art.units) == 2
    assert "no translation yet" in html


def test_glossary_text_is_escaped_in_tooltips_and_cjk_cells_carry_their_language(tmp_path):
    term = Term("refugee", "refugee", note='Say "refugee"><script>alert(1)</script> & never <b>', translations={"ko": Rendering("난민")})
    po = polib.POFile()
    po.append(polib.POEntry(msgid="A refugee arrived.", msgstr="난민이 도착했다."))
    html, _ = _tiny(tmp_path, "A refugee arrived.\n", Glossary([term]), po)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; never &lt;b&gt;" in html
    assert '<td class="tgt" lang="ko" dir="auto"><div class="text"><mark class="term ok"' in html
    assert '"Noto Sans CJK KR"' in html and ":lang(ko)" in html and "@media print" in html


def test_findings_on_sentences_no_longer_in_the_article_are_counted_apart(tmp_path):
    stale = check.Finding(str(tmp_path / "ko.po"), 9, "An old sentence.", "", "number", "error", False, "numbers differ")
    html, _ = _tiny(tmp_path, "A new sentence.\n", po=polib.POFile(), findings=[stale])
    assert "1 finding</span> <span class=\"stale\">(1 on entries no longer in the article)" in html


def test_cli_writes_the_page(project):
    runner = CliRunner()
    assert runner.invoke(main, ["translate", EXAMPLE.name, "--to", "pt", "--no-tm"]).exit_code == 0
    result = runner.invoke(main, ["review", EXAMPLE.name, "-o", "out/review.html"])
    assert result.exit_code == 0, result.output
    html = (project / "out" / "review.html").read_text(encoding="utf-8")
    assert 'data-lang="pt"' in html and "pt: 24 article units: 0 reviewed" in result.stderr
    result = runner.invoke(main, ["review", EXAMPLE.name, "--to", "pt,de", "-o", "review.html"])
    assert result.exit_code == 0, result.output
    assert "de: 24 article units: 0 reviewed, 0 drafts, 24 missing" in result.stderr


def test_cli_without_po_files_says_what_to_run(project):
    result = CliRunner().invoke(main, ["review", EXAMPLE.name])
    assert result.exit_code == 2
    assert "transflow translate" in result.stderr and not (project / "review.html").exists()


# --- in a real browser ---------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="transflow-chromium-")
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--hide-scrollbars", "--window-size=1200,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SE_OFFLINE", "true")  # Selenium Manager must never try to download a driver
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _visible_rows(driver):
    return [r for r in driver.find_elements("css selector", "#units tr.row") if r.is_displayed()]


def _shown(driver):
    return driver.find_element("id", "shown").text


@pytest.fixture
def page(browser, data):
    browser.get(data["page"].as_uri())
    return browser


@requires_chromium
def test_browser_shows_the_planted_script_as_text_and_never_runs_it(page, data):
    assert page.execute_script("return typeof window.__pwned") == "undefined"
    assert page.execute_script("return document.scripts.length") == 1
    assert page.execute_script("return document.images.length") == 0
    cells = [c.text for c in page.find_elements("css selector", "td.src .text") if "leaflet" in c.text]
    assert PLANTED in cells
    targets = [c.text for c in page.find_elements("css selector", "tr[data-lang=pt] td.tgt .text")]
    assert PLANTED_MT in targets
    problems = [e["message"] for e in page.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not problems, problems  # no blocked script, no failed load: nothing tried to run or fetch


@requires_chromium
def test_browser_filters(page, data):
    [art] = data["arts"]
    n = len(art.units)
    rows = _visible_rows(page)
    assert len(rows) == 2 * n and _shown(page) == f"{2 * n} of {2 * n} rows"

    page.find_element("id", "only-drafts").click()
    rows = _visible_rows(page)
    assert len(rows) == (n - 4) + (n - 1)
    assert {r.find_element("css selector", ".status .badge.draft").text for r in rows} == {"MT draft"}
    assert _shown(page) == f"{len(rows)} of {2 * n} rows"
    page.find_element("id", "only-drafts").click()

    page.find_element("id", "only-findings").click()
    rows = _visible_rows(page)
    with_findings = {(f.file, f.msgid) for f in data["findings"]}
    assert len(rows) == len(with_findings) >= 1
    assert all(r.find_element("css selector", ".findings").is_displayed() for r in rows)
    [wrong] = [r for r in rows if "trânsfuga" in r.text]
    item = wrong.find_element("css selector", ".findings li.error")
    assert "defector" in item.text and "desertor" in item.text
    assert item.value_of_css_property("color") == "rgba(207, 34, 46, 1)"  # red
    page.find_element("id", "only-findings").click()

    from selenium.webdriver.support.ui import Select

    Select(page.find_element("id", "only-lang")).select_by_value("ar")
    rows = _visible_rows(page)
    assert len(rows) == n and {r.get_attribute("data-lang") for r in rows} == {"ar"}
    # Each unit's source shows on its first visible row, which is now the ar row.
    assert rows[0].find_element("css selector", "td.src .text").is_displayed()
    arabic = rows[0].find_element("css selector", "td.tgt")
    assert arabic.text == ARABIC and arabic.value_of_css_property("direction") == "rtl"
    assert rows[0].find_element("css selector", "td.src").value_of_css_property("direction") == "ltr"

    page.find_element("id", "only-drafts").click()
    assert len(_visible_rows(page)) == n - 1
    Select(page.find_element("id", "only-lang")).select_by_value("")
    page.find_element("id", "only-drafts").click()
    assert len(_visible_rows(page)) == 2 * n


@requires_chromium
def test_browser_glossary_tooltip_on_hover(page, glossary):
    from selenium.webdriver.common.action_chains import ActionChains

    mark = next(m for m in page.find_elements("css selector", "td.src mark.term") if m.text == "defector")
    after = "return getComputedStyle(arguments[0], '::after').content"
    assert page.execute_script(after, mark) == "none"
    ActionChains(page).move_to_element(mark).perform()
    content = page.execute_script(after, mark)
    assert "defector → desertor" in content and glossary.by_id("defector").note in content


@requires_chromium
def test_browser_print_layout_hides_the_filters(page):
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not page.find_element("id", "filters").is_displayed()
        assert len(_visible_rows(page)) > 0
        pdf = base64.b64decode(page.print_page())
        assert pdf.startswith(b"%PDF")
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@requires_chromium
def test_browser_screenshot_of_the_example(browser, glossary, tmp_path):
    """The README's picture: the example article in pt, two entries reviewed, one wrong rendering.

    TRANSFLOW_UPDATE_SCREENSHOT=1 writes it to docs/review.png.
    """
    article = tmp_path / EXAMPLE.name
    shutil.copy(EXAMPLE, article)
    locales = tmp_path / "locales"
    pipeline.translate([article], ["pt"], glossary=glossary, locales=locales, engine="bergamot")
    _edit(_po(locales, "pt", article.stem), {
        "Rights groups urge": None,
        "A coalition of human rights": None,
        "The appeal, published": None,
        "China treats most": "A China trata a maioria dessas pessoas como migrantes ilegais, e não como pessoas refugiadas.",
    })
    html, _, _ = _page(article, locales, ["pt"], glossary)
    page = tmp_path / "review.html"
    page.write_text(html, encoding="utf-8")
    browser.get(page.as_uri())
    mark = next(m for m in browser.find_elements("css selector", "td.src mark.term") if m.text == "refugees")
    browser.execute_script("arguments[0].focus()", mark)  # show one tooltip in the picture
    shot = tmp_path / "review.png"
    assert browser.save_screenshot(str(shot))
    png = shot.read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    if os.environ.get("TRANSFLOW_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(png)


@requires_chromium
def test_browser_risk_order_filter_and_reasons(browser, tmp_path):
    """A real draft the model gets wrong ("as pessoas apáless", high risk) after a good one:
    ordering by risk puts it first with its reason; the risk filter shows it alone."""
    from selenium.webdriver.support.ui import Select
    from test_risk import APALESS, BENIGN, risk_page

    article = tmp_path / "news.txt"
    article.write_text(f"{APALESS}\n\n{BENIGN}\n", encoding="utf-8")
    pipeline.translate([article], ["pt"], locales=tmp_path / "locales")
    page = tmp_path / "review.html"
    risk_page(tmp_path / "locales", article, page)
    browser.get(page.as_uri())
    sources = lambda: [r.find_element("css selector", "td.src .text").text for r in _visible_rows(browser)]  # noqa: E731
    assert sources() == [BENIGN, APALESS]
    Select(browser.find_element("id", "order")).select_by_value("risk")
    assert sources() == [APALESS, BENIGN]
    first = _visible_rows(browser)[0]
    assert first.find_element("css selector", ".badge.risk").text == "high risk"
    assert first.find_element("css selector", ".risk-reasons li").text == 'unknown word "apáless"'
    Select(browser.find_element("id", "order")).select_by_value("article")
    assert sources() == [BENIGN, APALESS]
    Select(browser.find_element("id", "only-risk")).select_by_value("2")
    assert sources() == [APALESS] and _shown(browser) == "1 of 2 rows"


def test_readme_shows_the_screenshot():
    assert SCREENSHOT.exists()
    assert "docs/review.png" in (ROOT / "README.md").read_text(encoding="utf-8")
