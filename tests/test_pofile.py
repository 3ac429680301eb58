"""transflow.pofile against the real thing: whatever it writes, GNU msgcat writes back unchanged.

Every catalog here is written with :func:`transflow.pofile.write`, then
``msgcat FILE -o OUT`` (GNU gettext 0.21, default options) must produce the very
same bytes, and ``msgfmt -c --check-format`` must accept the file.  A hypothesis
property does the same for random text, and polib must read back what was
written.  The Unicode tables inside pofile.py are checked against the
libunistring that msgcat itself uses, when it is the same version (1.0).
"""

import ctypes
import ctypes.util
import difflib
import os
import random
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from system_tools import need, requires

from transflow import catalog, pofile
from transflow.errors import InputError

MSGCAT = shutil.which("msgcat") or "/usr/bin/msgcat"
MSGFMT = shutil.which("msgfmt") or "/usr/bin/msgfmt"

needs_gettext = requires("msgcat", "msgfmt")


# --------------------------------------------------------------------------
# Helpers


def header(**extra):
    meta = {
        "Project-Id-Version": "north-korean-refugees",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "2026-01-01 10:00+0000",
        "PO-Revision-Date": "2026-01-02 11:00+0000",
        "Last-Translator": "Ana Reviewer <ana@example.org>",
        "Language-Team": "Portuguese",
        "Language": "pt",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": "nplurals=2; plural=(n != 1);",
        "X-Generator": "transflow 0.1.0",
    }
    meta.update(extra)
    return meta


def make_po(entries, metadata=None, header_comment="") -> polib.POFile:
    po = polib.POFile(wrapwidth=79, encoding="utf-8")
    po.metadata = header() if metadata is None else metadata
    po.header = header_comment
    for entry in entries:
        po.append(entry)
    return po


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def msgcat(path: Path, *options) -> bytes:
    need("msgcat")
    out = path.with_name(path.name + ".msgcat")
    result = run(MSGCAT, *options, str(path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def show_diff(ours: bytes, theirs: bytes) -> str:
    diff = difflib.unified_diff(
        ours.decode().splitlines(), theirs.decode().splitlines(), "transflow", "msgcat", lineterm="", n=1
    )
    return "\n".join(list(diff)[:60])


def assert_msgcat_identical(tmp_path: Path, po: polib.POFile, name="article.po", check=True) -> Path:
    """Write ``po``; msgcat must give back the same bytes and msgfmt -c must accept them."""
    path = tmp_path / name
    pofile.write(po, path)
    ours = path.read_bytes()
    # (--force-po: without it msgcat writes no file at all for a header alone.)
    theirs = msgcat(path, "--force-po")
    assert ours == theirs, show_diff(ours, theirs)
    if check:
        need("msgfmt")
        result = run(MSGFMT, "-c", "--check-format", "-o", os.devnull, str(path))
        assert result.returncode == 0, result.stderr
    return path


def entry(msgid, msgstr="", **kwargs) -> polib.POEntry:
    return polib.POEntry(msgid=msgid, msgstr=msgstr, **kwargs)


# --------------------------------------------------------------------------
# What transflow writes: articles in many languages


EN_LONG = (
    'The ministry said on Tuesday that 2,000 people — most of them women — had crossed the "border" '
    "since January, according to figures published at https://www.unikorea.go.kr/eng_unikorea/news/releases/ "
    "and confirmed by officials in Seoul, who asked not to be named."
)
PT_LONG = (
    "O ministério afirmou na terça-feira que 2.000 pessoas — a maioria mulheres — atravessaram a "
    "«fronteira» desde janeiro, segundo números publicados em https://www.unikorea.go.kr/eng_unikorea/ "
    "e confirmados por autoridades em Seul, que pediram para não ser identificadas. “Não há saída”, disse."
)
DE_LONG = (
    "Die Bundesausbildungsförderungsgesetzänderungsverordnung wurde am Dienstag veröffentlicht; "
    "Rechtsschutzversicherungsgesellschaften reagierten „überrascht“ auf die Nachricht."
)
FR_LONG = (
    "Le ministère a déclaré mardi : « 2 000 personnes ont franchi la frontière depuis janvier » — "
    "un chiffre que l’ONU juge « crédible » ; d’autres l’estiment sous‑évalué."
)
ES_LONG = "¿Cuántas personas cruzaron la frontera? ¡Más de 2.000! Según el ministerio, la mayoría eran mujeres jóvenes."
KO_LONG = (
    "통일부는 화요일 올해 1월 이후 2,000명이 넘는 탈북민이 국경을 넘었으며 그중 대부분이 여성이라고 밝혔다. "
    "익명을 요구한 서울의 한 당국자는 \"출구가 없다\"고 말했다."
)
ZH_LONG = (
    "统一部周二表示，自今年一月以来已有两千多名脱北者越过边境，其中大多数是女性。一位要求匿名的首尔官员说："
    "“没有出路。”这一数字比去年同期增加了百分之二十。"
)
JA_LONG = (
    "統一省は火曜日、今年1月以降に2,000人を超える脱北者が国境を越え、その大半が女性だったと発表した。"
    "匿名を条件に取材に応じたソウルの当局者は「出口はない」と語った。"
)
MIXED = "Kim Jong Un 위원장은 Pyongyang에서 열린 회의에서 UN Security Council 决议를 비판했다 (AP通信, 2024年3月1日)."
URL = "https://example.com/" + "very-long-path-segment/" * 6 + "article.html?utm_source=newsletter&utm_medium=email"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3


def article_entries() -> list[polib.POEntry]:
    refs = [("articles/2026/01/north-korean-refugees-cross-border.md", str(n)) for n in range(1, 120, 3)]
    return [
        entry("North Korean refugees", "Refugiados norte-coreanos", occurrences=[("refugees.md", "1")], comment="heading"),
        entry(EN_LONG, PT_LONG, occurrences=refs, comment="paragraph\nmt: bergamot en-pt 2026-01-01"),
        entry(DE_LONG, DE_LONG, msgctxt="de", tcomment="checked by the Berlin desk"),
        entry(FR_LONG, FR_LONG, msgctxt="fr"),
        entry(ES_LONG, ES_LONG, msgctxt="es"),
        entry(KO_LONG, ZH_LONG, msgctxt="ko-zh", tcomment="Korean source, Chinese draft"),
        entry(JA_LONG, JA_LONG, msgctxt="ja"),
        entry(MIXED, MIXED),
        entry(f"Read more at {URL}", f"Leia mais em {URL}"),
        entry(URL, URL, msgctxt="url alone"),
        entry(LONG_WORD, LONG_WORD),
        entry(
            "Line one\nLine two\twith a tab, a \\ backslash and \"quotes\"\n",
            "Linha um\nLinha dois\tcom tab, uma \\ barra e \"aspas\"\n",
        ),
        entry("\nStarts and ends with a newline\n", "\nComeça e termina com nova linha\n"),
        entry("Only\n\n\nnewlines\n\n", "Só\n\n\nnovas linhas\n\n"),
        entry(
            "The refugees said they had paid brokers thousands of dollars to reach China.",
            "Os refugiados disseram ter pago milhares de dólares a intermediários para chegar à China.",
            flags=["fuzzy"],
            previous_msgid="The refugees said they had paid brokers thousands of dollars to reach the Chinese border.",
            previous_msgctxt="old context",
            tcomment="translator: check the number\nsecond line",
            comment="mt: bergamot en-pt\nglossary: broker -> intermediário",
        ),
        entry("한국어 짧은 문장", "", flags=["fuzzy"]),  # gettext drops fuzzy when msgstr is empty
        entry(
            "%(count)s people crossed, 100% of them on foot",
            "%(count)s pessoas atravessaram, 100% delas a pé",
            flags=["python-format"],
        ),
        entry(
            "One refugee crossed the border after walking for more than ten hours through the mountains",
            "",
            msgid_plural="%d refugees crossed the border after walking for more than ten hours through the mountains",
            msgstr_plural={
                0: "Um refugiado atravessou a fronteira depois de caminhar mais de dez horas pelas montanhas",
                1: "%d refugiados atravessaram a fronteira depois de caminhar mais de dez horas pelas montanhas",
            },
            msgctxt="plural",
            flags=["c-format"],
        ),
        entry("Emoji 👍🏽 and flags 🇰🇷🇧🇷 and family 👨‍👩‍👧 " * 3, "Emoji 👍🏽 e bandeiras 🇰🇷🇧🇷 e família 👨‍👩‍👧 " * 3),
        entry(
            "Obsolete sentence that was removed from the article when the editor rewrote the lead paragraph.",
            "Frase obsoleta que foi removida do artigo quando o editor reescreveu o parágrafo de abertura.",
            obsolete=True,
            flags=["fuzzy"],
            previous_msgid="An even older sentence that was removed from the article when the editor rewrote the lead.",
            tcomment="kept by msgmerge",
        ),
        entry("Obsolete and translated", "Obsoleta e traduzida", obsolete=True, msgctxt="ctx"),
    ]


@needs_gettext
def test_article_catalog_is_what_msgcat_writes(tmp_path):
    po = make_po(article_entries(), header_comment="Portuguese translation of north-korean-refugees\nCopyright (C) 2026")
    path = assert_msgcat_identical(tmp_path, po)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Portuguese translation of north-korean-refugees\n# Copyright (C) 2026\nmsgid \"\"\n")
    assert "\r" not in text and text.endswith('"\n')


@needs_gettext
def test_template_with_transflow_header_is_what_msgcat_writes(tmp_path):
    po = make_po(
        [e for e in article_entries() if not e.obsolete and not e.msgid_plural],
        metadata=catalog.header("north-korean-refugees", None, "2026-01-01 10:00+0000"),
    )
    for e in po:
        e.msgstr = ""
        e.flags = [f for f in e.flags if f != "fuzzy"]
    assert_msgcat_identical(tmp_path, po, "article.pot", check=False)


@needs_gettext
@pytest.mark.parametrize("language", ["de", "fr", "es", "ko", "zh", "ja"])
def test_header_of_each_language(tmp_path, language):
    po = make_po(
        [entry(EN_LONG, {"ko": KO_LONG, "zh": ZH_LONG, "ja": JA_LONG}.get(language, FR_LONG))],
        metadata=catalog.header("north-korean-refugees", language, "2026-01-01 10:00+0000"),
    )
    assert_msgcat_identical(tmp_path, po)


@needs_gettext
def test_many_references_wrap_like_gettext(tmp_path):
    refs = [(f"./desk/{'world/' * (n % 4)}article-{n}.md", str(n * 37)) for n in range(200)]
    refs += [("no-line-number.md", ""), ("./desk/world/article-1.md", "37"), ("desk/article-0.md", "0")]
    refs += [("odd.md", "12a"), ("zero-padded.md", "007"), ("arabic-digits.md", "١٢")]
    refs.append(("a-single-reference-that-is-longer-than-the-page-width/" * 2 + "x.md", "1"))
    po = make_po([entry("Referenced everywhere", "Referido em todo lado", occurrences=refs)])
    text = assert_msgcat_identical(tmp_path, po).read_text(encoding="utf-8")
    assert "./" not in text
    assert text.count("desk/world/article-1.md:37") == 1  # "./x" and "x" are the same to gettext
    assert text.count("desk/article-0.md:0") == 1
    assert " odd.md:12a" in text and " zero-padded.md:7" in text and " arabic-digits.md:١٢" in text


@needs_gettext
@pytest.mark.parametrize("extra", range(-3, 4))
def test_strings_around_the_page_width(tmp_path, extra):
    """`msgid "…"` exactly at, just under and just over 79 columns, in ASCII and in wide CJK."""
    ascii_text = "x" * (79 - len('msgid ""') + extra)
    spaced = " ".join(["word"] * 20)[: 79 - len('msgid ""') + extra]
    cjk = "한" * ((79 - len('msgid ""') + extra) // 2)
    cjk_odd = "a" + cjk
    tail_space = "y" * (79 - len('msgid ""') + extra - 1) + " "
    entries = [entry(t, t, msgctxt=str(i)) for i, t in enumerate([ascii_text, spaced, cjk, cjk_odd, tail_space]) if t]
    assert_msgcat_identical(tmp_path, make_po(entries))


@needs_gettext
def test_every_kind_of_break_gettext_knows(tmp_path):
    samples = [
        "e-mail, well-known, 2,000, 3.14, $100, 100%, (parenthesised), [bracketed], {braced}, 'single', \"double\"",
        "slashes/and/paths/without/spaces/are/broken/after/each/slash/by/gettext/as/UAX14/allows",
        "Hyphenated-words-without-spaces-are-broken-after-each-hyphen-by-gettext-and-libunistring-too",
        "Em—dash—joined—words—without—spaces—and—en–dash–joined–words–without–spaces–too–for–good–measure",
        "中文没有空格所以可以在任意两个汉字之间换行但是标点符号如。、）不能出现在行首（也不能在行尾）这是规则",
        "日本語の文章では「かぎかっこ」や『二重かぎかっこ』の前後、句読点。、の前では改行されないことになっています",
        "한국어는띄어쓰기가없으면한글음절사이에서줄을바꿀수있는데이문장은띄어쓰기없이아주길게이어지고있습니다정말로",
        "Numbers like 1,234,567.89 and 12:30 and 2026-01-01 and +44 20 7946 0958 and 50% and €1.000,00 stay together",
        "Tab\tseparated\tvalues\tand\ta\tvery\tlong\tline\tof\tthem\tthat\tgoes\tpast\tthe\tpage\twidth\tfor\tsure",
        "Backslashes \\ everywhere \\\\ and \\n literal and quotes \" and \"\" and \\\" combined in a long line",
        "Non-breaking\u00a0spaces\u00a0do\u00a0not\u00a0break\u00a0lines\u00a0so\u00a0this\u00a0one\u00a0has\u00a0only\u00a0a few ordinary spaces",
        "Soft\u00adhyphens\u00adand\u00adzero\u200bwidth\u200bspaces\u200bare\u200bbreak\u200bopportunities\u200bin\u200bUAX14 text",
        "French « guillemets » and narrow\u202fno-break\u202fspaces : before ; colons ! and ? question marks",
        "Hebrew שלום עולם and Arabic مرحبا بالعالم and Thai สวัสดีชาวโลก and Cyrillic привет мир, all mixed in",
        "Combining e\u0301 accents a\u0300 and o\u0308 in a long sentence that certainly needs a line break somewhere",
        "Line\u2028separator and next\u0085line characters are mandatory breaks for libunistring but not for gettext!",
    ]
    entries = [entry(s, s, msgctxt=str(i)) for i, s in enumerate(samples)]
    entries += [entry(s * 2, "", msgctxt=f"{i}x2") for i, s in enumerate(samples)]
    assert_msgcat_identical(tmp_path, make_po(entries), check=False)


@needs_gettext
def test_no_wrap_flag_and_python_format_directives(tmp_path):
    long = "This sentence is far longer than the page width but carries the no-wrap flag, so it stays on one line."
    fmt = "Between %(first)s and %(second)s, 100% of respondents — that is %(count)d people — said % d things " * 2
    entries = [
        entry(long, long, flags=["no-wrap"]),
        entry(fmt, fmt, flags=["python-format"], msgctxt="python"),
        entry(fmt.replace("%(count)d", "%(n)d"), "", flags=["possible-python-format"], msgctxt="possible"),
    ]
    path = assert_msgcat_identical(tmp_path, make_po(entries), check=False)
    assert f'msgid "{long}"' in path.read_text(encoding="utf-8")


# --------------------------------------------------------------------------
# gettext's normalisations, reproduced


@needs_gettext
def test_flags_are_normalised_as_gettext_does(tmp_path):
    entries = [
        entry("a", "b", flags=["python-format", "my-own-flag", "fuzzy", "wrap", "c-format", "range: 1..3"]),
        entry("c", "", flags=["fuzzy", "no-c-format"]),
        entry("e", "f", flags=["no-wrap", "ellipsis-unicode-check"]),
    ]
    text = assert_msgcat_identical(tmp_path, make_po(entries), check=False).read_text(encoding="utf-8")
    assert "#, fuzzy, c-format, python-format, range: 1..3\nmsgid \"a\"" in text
    assert "#, no-c-format\nmsgid \"c\"" in text
    assert "#, no-wrap\nmsgid \"e\"" in text


@needs_gettext
def test_obsolete_entries_go_last_and_untranslated_ones_vanish(tmp_path):
    entries = [
        entry("old and translated", "velho e traduzido", obsolete=True, comment="extracted", occurrences=[("a.md", "1")]),
        entry("old and untranslated", "", obsolete=True),
        entry("current", "atual"),
        entry("old plural", "", msgid_plural="old plurals", msgstr_plural={0: "velho", 1: "velhos"}, obsolete=True),
    ]
    text = assert_msgcat_identical(tmp_path, make_po(entries)).read_text(encoding="utf-8")
    assert "untranslated" not in text
    assert text.index('msgid "current"') < text.index('#~ msgid "old and translated"') < text.index("#~ msgid_plural")


@needs_gettext
def test_comments_gettext_would_change(tmp_path):
    entries = [
        entry("a", "b", tcomment="ends with a backslash \\\n\nafter an empty line\n  indented", comment="also \\"),
        entry("c", "d", tcomment="#hash, .dot, :colon, ,comma, |bar, ~tilde"),
    ]
    path = assert_msgcat_identical(tmp_path, make_po(entries, header_comment="header\\\n\nlast"))
    back = pofile.load(path)
    assert back[0].tcomment == "ends with a backslash \\\n\nafter an empty line\n  indented"
    assert back[0].comment == "also \\"
    assert back[1].tcomment == "#hash, .dot, :colon, ,comma, |bar, ~tilde"


@needs_gettext
def test_header_only_and_fuzzy_header(tmp_path):
    po = make_po([], header_comment="SOME DESCRIPTIVE TITLE.\nFIRST AUTHOR <EMAIL@ADDRESS>, YEAR.\n")
    po.metadata_is_fuzzy = ["fuzzy"]
    text = assert_msgcat_identical(tmp_path, po, check=False).read_text(encoding="utf-8")
    assert "#\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version" in text


@needs_gettext
def test_a_polib_written_file_reads_back_to_what_msgcat_makes_of_it(tmp_path):
    """Files written by older transflow (polib's save) converge to gettext's text on the next write."""
    po = make_po(article_entries())
    old = tmp_path / "old.po"
    po.save(str(old))
    assert old.read_text(encoding="utf-8").startswith("#\nmsgid")  # polib's empty header comment
    expected = msgcat(old)
    assert pofile.dumps(pofile.load(old)).encode() == expected
    fresh = tmp_path / "fresh.po"
    fresh.write_bytes(expected)
    assert pofile.dumps(pofile.load(fresh)).encode() == expected


def test_no_header_comment_and_one_empty_header_comment_line_both_survive():
    bare = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    assert pofile.dumps(pofile.loads(bare)) == bare
    assert pofile.dumps(pofile.loads("#\n" + bare)) == "#\n" + bare
    old, new = pofile.loads("#\n" + bare), make_po([entry("a", "c")])
    new.header = old.header
    assert pofile.dumps(new).startswith("#\nmsgid")


def test_dumps_keeps_the_metadata_order():
    po = make_po([], metadata={"Project-Id-Version": "x", "X-Poedit-Basepath": ".", "Content-Type": "text/plain; charset=UTF-8"})
    assert pofile.dumps(po) == (
        'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"X-Poedit-Basepath: .\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    )


# --------------------------------------------------------------------------
# write, load, loads


def test_write_is_atomic_utf8_with_unix_line_ends(tmp_path):
    path = tmp_path / "pt" / "article.po"
    po = make_po([entry("Olá", "Olá, mundo")])
    pofile.write(po, path)
    first = path.read_bytes()
    assert first == pofile.dumps(po).encode("utf-8") and b"\r\n" not in first
    po[0].msgstr = "Olá de novo"
    pofile.write(po, path)
    assert "Olá de novo" in path.read_text(encoding="utf-8")
    assert [p.name for p in path.parent.iterdir()] == ["article.po"]  # no temporary file left


def test_write_failure_leaves_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "article.po"
    pofile.write(make_po([entry("a", "b")]), path)
    before = path.read_bytes()

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        pofile.write(make_po([entry("a", "c")]), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["article.po"]


def test_load_reports_file_and_line(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text('msgid ""\nmsgstr ""\n\n#| nonsense "x"\nmsgid "a"\nmsgstr "b"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.po:4: unknown keyword nonsense"):
        pofile.load(path)
    path.write_text('msgid ""\nmsgstr ""\n\nmsgid "a\nmsgstr "b"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.po:4: "):
        pofile.load(path)
    with pytest.raises(InputError, match=r"<string>:2: "):
        pofile.loads('msgid "a"\nmsgid garbage\n')


def test_loads_reads_what_dumps_writes():
    po = make_po(article_entries())
    back = pofile.loads(pofile.dumps(po))
    assert back.metadata == po.metadata
    kept = [e for e in po if not e.obsolete] + [e for e in po if e.obsolete and e.msgstr]
    assert [(e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in back] == [
        (e.msgctxt, e.msgid, e.msgstr, e.msgstr_plural) for e in kept
    ]


# --------------------------------------------------------------------------
# The property: random text, msgcat gives the same bytes, polib the same entries

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZáàâãäçéèêëíìîïñóòôõöúùûüýßœæÁÉÍÓÚÃÕÇÑÜ"
PUNCTUATION = " .,;:!?-–—…'\"“”‘’«»„()[]{}/%&*+=@#$€£0123456789\\\t\u00a0\u202f、。「」『』！？（）：；・ー"
# Random Unicode beyond that, without what cannot be in a PO string or what
# transflow never sees: controls other than \t and \n (gettext escapes \a \b
# \f \r \v, but the rest are written raw and split polib's and posyntax's
# lines), U+2028/U+2029 (str.splitlines() splits there, so polib and posyntax
# read such lines wrongly), surrogates, private use and unassigned code points.
ANY_CHARACTER = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn"))
CHARACTER = st.one_of(
    st.sampled_from(LETTERS),
    st.sampled_from(LETTERS),
    st.sampled_from(PUNCTUATION),
    st.just(" "),
    st.just(" "),
    st.just("\n"),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK ideographs
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # Hangul syllables
    st.characters(min_codepoint=0x3041, max_codepoint=0x30FA),  # kana
    ANY_CHARACTER,
)
TEXT = st.text(CHARACTER, max_size=240)
# Comments: one line each, no surrounding whitespace (polib strips comment lines).
COMMENT_LINE = st.text(st.one_of(st.sampled_from(LETTERS + " .,:;#|~'\"\\"), st.characters(min_codepoint=0xAC00, max_codepoint=0xAC20)), min_size=1, max_size=100).map(str.strip).filter(bool)
COMMENT = st.lists(COMMENT_LINE, max_size=3).map("\n".join)


def match_newlines(msgid: str, msgstr: str) -> str:
    """msgfmt -c wants msgstr to begin and end with \\n exactly when msgid does."""
    if not msgstr:
        return msgstr
    msgstr = msgstr.strip("\n")
    return ("\n" if msgid.startswith("\n") else "") + msgstr + ("\n" if msgid.endswith("\n") else "")


@st.composite
def entries(draw):
    msgid = draw(TEXT.filter(bool))
    msgstr = match_newlines(msgid, draw(TEXT))
    e = entry(msgid, msgstr, msgctxt=draw(st.none() | TEXT), tcomment=draw(COMMENT), comment=draw(COMMENT))
    if draw(st.booleans()):
        e.flags = ["fuzzy"]
        if draw(st.booleans()):
            e.previous_msgid = draw(TEXT)
    e.obsolete = draw(st.integers(0, 5)) == 0
    return e


@needs_gettext
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(items=st.lists(entries(), min_size=1, max_size=5, unique_by=lambda e: (e.msgctxt, e.msgid)), comment=COMMENT)
def test_property_msgcat_writes_back_the_same_bytes(tmp_path_factory, items, comment):
    tmp_path = tmp_path_factory.mktemp("property")
    po = make_po(items, header_comment=comment)
    note(pofile.dumps(po))
    path = assert_msgcat_identical(tmp_path, po)

    back = pofile.load(path)
    written = [e for e in items if not e.obsolete] + [e for e in items if e.obsolete and e.msgstr]
    assert back.header == comment and back.metadata == po.metadata
    assert [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.tcomment, e.comment, e.obsolete, e.previous_msgid) for e in back] == [
        (e.msgctxt, e.msgid, e.msgstr, ["fuzzy"] if e.flags and e.msgstr else [], e.tcomment, e.comment, e.obsolete, e.previous_msgid)
        for e in written
    ]
    assert pofile.dumps(back) == pofile.dumps(po)


# --------------------------------------------------------------------------
# The Unicode tables against the libunistring msgcat uses


def _libunistring():
    name = ctypes.util.find_library("unistring") or "libunistring.so.2"
    try:
        lib = ctypes.CDLL(name)
        version = ctypes.c_int.in_dll(lib, "_libunistring_version").value
    except (OSError, ValueError):
        return None
    if version != 0x010000 or not hasattr(lib, "libunistring_unilbrkprop"):
        return None  # the tables are libunistring 1.0's
    return lib


LIBUNISTRING = _libunistring()
needs_libunistring_1_0 = pytest.mark.skipif(LIBUNISTRING is None, reason="libunistring 1.0 is not installed")


def unilbrkprop_table(lib) -> bytes:
    """The line breaking class of every code point, read from libunistring 1.0's private
    ``unilbrkprop`` table (x86-64 layout: int level1[15], int level2[2048], then the bytes)."""
    base = ctypes.addressof(ctypes.c_uint8.in_dll(lib, "libunistring_unilbrkprop"))
    level1 = list((ctypes.c_int32 * 15).from_address(base))
    level2 = list((ctypes.c_int32 * 2048).from_address(base + 0x3C))
    level3 = ctypes.string_at(base + 0x203C, max(level2) + 128)
    out = bytearray(0x110000)
    for uc in range(0x110000):
        prop = 42  # LBP_XX
        if uc >> 16 < 15 and level1[uc >> 16] >= 0:
            index = level2[level1[uc >> 16] + ((uc >> 7) & 0x1FF)]
            if index >= 0:
                prop = level3[index + (uc & 0x7F)]
        out[uc] = prop
    return bytes(out)


def width_table(lib) -> bytes:
    lib.uc_width.restype = ctypes.c_int
    lib.uc_width.argtypes = [ctypes.c_uint32, ctypes.c_char_p]
    return bytes(lib.uc_width(uc, b"UTF-8") + 1 for uc in range(0x110000))


def regenerate_tables() -> str:
    """Python source for the tables in pofile.py, from the installed libunistring 1.0.

    Run ``python -c 'import test_pofile as t; print(t.regenerate_tables())'`` in tests/.
    """
    import base64
    import zlib

    def blob(name, table):
        data = bytearray()
        i = 0
        while i < len(table):
            j = i
            while j < len(table) and table[j] == table[i]:
                j += 1
            data.append(table[i])
            length = j - i
            while True:
                data.append((length & 0x7F) | (0x80 if length > 0x7F else 0))
                length >>= 7
                if not length:
                    break
            i = j
        text = base64.b85encode(zlib.compress(bytes(data), 9)).decode()
        return f"{name} = (\n" + "".join(f'    "{text[k:k + 76]}"\n' for k in range(0, len(text), 76)) + ")\n"

    pairs = ctypes.string_at(ctypes.addressof(ctypes.c_uint8.in_dll(LIBUNISTRING, "libunistring_unilbrk_table")), 33 * 33)
    rows = "".join(f'    "{"".join(" DIP"[pairs[r * 33 + c]] for c in range(33))}",\n' for r in range(33))
    return (
        blob("_LINEBREAK_BLOB", unilbrkprop_table(LIBUNISTRING))
        + blob("_WIDTH_BLOB", width_table(LIBUNISTRING))
        + f"_PAIRS = (\n{rows})\n"
    )


@needs_libunistring_1_0
def test_unicode_tables_are_libunistrings():
    lbprop, widths, pairs = pofile._tables()
    assert lbprop == unilbrkprop_table(LIBUNISTRING)
    assert widths == width_table(LIBUNISTRING)
    table = ctypes.string_at(ctypes.addressof(ctypes.c_uint8.in_dll(LIBUNISTRING, "libunistring_unilbrk_table")), 33 * 33)
    assert b"".join(pairs) == table


@needs_libunistring_1_0
def test_line_breaking_is_libunistrings():
    """pofile's UAX #14 and width pass against u8_width_linebreaks_v2 on random strings of every class."""
    lib = LIBUNISTRING
    lib.u8_width_linebreaks_v2.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int]
    lib.u8_width_linebreaks_v2.argtypes += [ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
    lbprop, _, _ = pofile._tables()
    by_class: dict[int, list[str]] = {}
    for uc in range(0x110000):
        if not 0xD800 <= uc < 0xE000:
            by_class.setdefault(lbprop[uc], []).append(chr(uc))
    common = list(" aZé-–—\"'“”«»()[].,;:!?/\\%$€09\t一가あア。、「」‐\u00ad\u200b\u200d\u0301\u05d0\U0001F1E6😀\r\n\u2028")
    rnd = random.Random(20260101)
    for _ in range(3000):
        chars = [rnd.choice(common) if rnd.random() < 0.6 else rnd.choice(by_class[rnd.choice(list(by_class))]) for _ in range(rnd.randint(1, 40))]
        overrides = [rnd.choice([0, 0, 0, 1, 2]) for _ in chars]
        width, start = rnd.randint(1, 30), rnd.randint(0, 10)
        encoded = "".join(chars).encode()
        o = bytearray(len(encoded))
        firsts = []
        at = 0
        for c, override in zip(chars, overrides):
            firsts.append(at)
            o[at] = override
            at += len(c.encode())
        out = ctypes.create_string_buffer(len(encoded))
        lib.u8_width_linebreaks_v2(encoded, len(encoded), width, start, 0, bytes(o), b"UTF-8", out)
        expected = [out.raw[i] for i in firsts]
        text = "".join(chars)
        assert pofile._width_linebreaks(text, pofile._possible_linebreaks(text), overrides, width, start) == expected, chars
