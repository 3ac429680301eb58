"""Reliability table, issue 19: bounds everywhere a user's file decides the cost.

Long units, files that are no regular files or too big, YAML alias bombs, deeply
nested HTML, index links and download sizes, glob roots, backtracking skip patterns,
lock timeouts and UTF-16 articles. Every case runs the CLI in a subprocess under the
harness's limits (tests/reliability.py): the outcome the README's Reliability section
promises within the case's time and memory, no traceback, and no byte of a file
changed that the command had no job to change. The hostile inputs are generated here.
"""

import fcntl
import io
import json
import os
import random
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import polib
import pytest
from conftest import serving
from reliability import Case, run_case

from transflow import inputs, longunits
from transflow.engines import index

SMALL = 300  # MB: a refusal needs the interpreter and transflow, not a model
MODEL = 700  # MB: a run that loads the embedded model
PO = "locales/pt/LC_MESSAGES/{}.po"
WORDS = ("the refugees crossed the river at night and the guards who watched the border said nothing "
         "to the families waiting in the cold while officials in the capital").split()


def prose(chars: int, seed: int = 1) -> str:
    """A line of about ``chars`` characters of English words, a comma every dozen words
    and no sentence end: one unit."""
    rng = random.Random(seed)
    words, n = [], 0
    while n < chars:
        word = rng.choice(WORDS) + ("," if len(words) % 12 == 11 else "")
        words.append(word)
        n += len(word) + 1
    return " ".join(words)


def write(name: str, text: str | bytes):
    def setup(project: Path) -> None:
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return setup


def steps(*setups):
    def setup(project: Path) -> None:
        for s in setups:
            s(project)
    return setup


def fifo(name: str):
    def setup(project: Path) -> None:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(project / name)
    return setup


def link(name: str, target: str):
    def setup(project: Path) -> None:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, project / name)
    return setup


def sparse(name: str, size: int):
    """A file of ``size`` bytes that takes no disk (a refusal must not read it)."""
    def setup(project: Path) -> None:
        with open(project / name, "wb") as f:
            f.truncate(size)
    return setup


def entries(project: Path, stem: str, lang: str = "pt") -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(project / PO.format(stem).replace("/pt/", f"/{lang}/"))) if not e.obsolete]


# --- item 3: long units -------------------------------------------------------------

LINE_50K = prose(50_000)
BLOB = "QUJD" * 650_000  # 2.6 MB without a space: a pasted base64 picture


def translated_in_pieces(project, result):
    [title, line] = entries(project, "long")
    assert line.msgid == LINE_50K and len(line.msgstr) > 20_000
    [note] = [c for c in line.comment.split("\n") if "pieces" in c]
    pieces = len(longunits.pieces(LINE_50K))
    assert note == f"mt: translated in {pieces} pieces: longer than the 600 characters the model translates whole"
    assert pieces > 80 and title.msgstr


def blob_not_translated(project, result):
    title, blob = entries(project, "blob")
    assert title.msgstr and blob.msgid == BLOB and blob.msgstr == ""
    assert longunits.REFUSAL in blob.comment.split("\n")


# --- item 5: YAML alias bombs --------------------------------------------------------

BOMB = "".join(f"{a}: &{a} [{','.join([f'*{p}'] * 9) if p else ','.join(['lol'] * 9)}]\n"
               for p, a in zip([None, *"abcdefgh"], "abcdefghi"))  # 9**9 lols, 400 bytes
GLOSSARY_BOMB = ("domain:\n" + "".join("  " + line + "\n" for line in BOMB.splitlines())
                 + "source_language: en\nterms:\n  - id: refugee\n    source: refugee\n    translations: {pt: refugiado}\n")


# --- item 7: nested HTML --------------------------------------------------------------

def nested_page(depth: int, inside_sentence: bool) -> str:
    words = "Refugees crossed the border at night."
    inner = "<b>" * depth + words + "</b>" * depth
    body = f"The officials said {inner} Nobody spoke." if inside_sentence else inner
    return f"<html><body><p>{body}</p></body></html>\n"


UNCLOSED_P = "<html><body>" + "<p>Refugees crossed the border at night. " * 30_000 + "</body></html>\n"


# --- item 12: glob roots, skip patterns, lock, UTF-16 -----------------------------------

def link_loops(project: Path) -> None:
    (project / "articles").mkdir()
    (project / "articles" / "one.md").write_text("# One\n\nRefugees crossed the border.\n", encoding="utf-8")
    for name in ("a", "b", "c"):  # three ways back up at every level: glob walked 3^depth folders
        os.symlink("..", project / "articles" / name)


_HELD: list[int] = []


def locked_by_another_run(project: Path) -> None:
    (project / "locales").mkdir(exist_ok=True)
    fd = os.open(project / "locales" / ".transflow.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _HELD.append(fd)


@pytest.fixture(autouse=True)
def release_locks():
    yield
    while _HELD:
        os.close(_HELD.pop())


UTF16 = "Refugees crossed the border.\n\nThey were sent back.\n"


CASES = [
    # Item 3: a long unit goes to the model in pieces, or not at all.
    Case("a 50 kB line is translated in pieces", ["translate", "long.txt", "--to", "pt", "--no-tm"],
         write("long.txt", "A title\n\n" + LINE_50K + "\n"), exit=0, may_change=("locales/**",),
         timeout=240, rss_mb=MODEL, check=translated_in_pieces),
    Case("a 2.6 MB line without a space is not sent to the model", ["translate", "blob.txt", "--to", "pt", "--no-tm"],
         write("blob.txt", "A title\n\n" + BLOB + "\n"), exit=0, may_change=("locales/**",),
         message=r"1 too long to translate \(no place to cut them", timeout=90, rss_mb=MODEL, check=blob_not_translated),
    # Item 4: regular files only, and within a size.
    Case("/dev/zero as an article", ["translate", "/dev/zero", "--to", "pt", "--no-tm"],
         message="/dev/zero: is a character device, not a regular file; an article must be a regular file", rss_mb=SMALL),
    Case("an article linked to /dev/zero", ["segment", "zero.txt"], link("zero.txt", "/dev/zero"),
         message=r"zero.txt: is a character device \(through a symbolic link\)", rss_mb=SMALL),
    Case("a FIFO as an article", ["translate", "pipe.txt", "--to", "pt", "--no-tm"], fifo("pipe.txt"),
         message="pipe.txt: is a FIFO \\(named pipe\\), not a regular file", rss_mb=SMALL, timeout=20),
    Case("an article over 20 MB", ["segment", "big.txt"], sparse("big.txt", 21 * 1024 * 1024),
         message=r"big.txt: 21.0 MB, more than the 20.0 MB an article may have", rss_mb=SMALL),
    Case("a PO file linked to /dev/zero", ["translate", "a.txt", "--to", "pt", "--no-tm"],
         steps(write("a.txt", "Refugees crossed the border.\n"), link(PO.format("a"), "/dev/zero")),
         message=r"a.po: is a character device \(through a symbolic link\), not a regular file; a PO file", rss_mb=SMALL),
    Case("a FIFO as a PO file, in status", ["status"], fifo(PO.format("a")), message="a.po: is a FIFO", rss_mb=SMALL,
         timeout=20),
    Case("a PO file over 100 MB", ["check", "locales"], steps(
        lambda p: (p / "locales/pt/LC_MESSAGES").mkdir(parents=True), sparse(PO.format("a"), 101 * 1024 * 1024)),
         message=r"a.po: 101.0 MB, more than the 100.0 MB a PO file may have", rss_mb=SMALL),
    Case("a FIFO as the glossary", ["translate", "a.txt", "--to", "pt", "--no-tm", "--glossary", "terms.yaml"],
         steps(write("a.txt", "Refugees crossed the border.\n"), fifo("terms.yaml")),
         message=r"terms.yaml:1: is a FIFO \(named pipe\), not a regular file; a glossary file", rss_mb=SMALL, timeout=20),
    Case("a FIFO in the glossary folder, validated", ["glossary", "validate", "glossary"], fifo("glossary/zz.yaml"),
         exit=1, rss_mb=SMALL, timeout=20,
         check=lambda p, r: "glossary/zz.yaml:1: is a FIFO" in r.stdout),
    Case("a FIFO as the project file", ["status"], fifo("transflow.yaml"),
         message=r"transflow.yaml: is a FIFO \(named pipe\), not a regular file; a project file", rss_mb=SMALL, timeout=20),
    Case("a project file over 1 MB", ["status"], write("transflow.yaml", "# x\n" * 300_000),
         message=r"transflow.yaml: 1.1 MB, more than the 1.0 MB a project file may have", rss_mb=SMALL),
    Case("a FIFO as an Argos package", ["models", "install", "p.argosmodel"], fifo("p.argosmodel"),
         message=r"p.argosmodel: is a FIFO \(named pipe\)", rss_mb=SMALL, timeout=20),
    # Item 5: YAML aliases are refused while parsing, before anything is expanded.
    Case("an alias bomb in transflow.yaml", ["status"], write("transflow.yaml", BOMB),
         message=r"transflow.yaml:2: YAML aliases are not allowed$", rss_mb=SMALL, timeout=20),
    Case("an alias bomb in a glossary's domain, validated", ["glossary", "validate", "glossary"],
         write("glossary/bomb.yaml", GLOSSARY_BOMB), exit=1, rss_mb=SMALL, timeout=20,
         check=lambda p, r: r.stdout == "glossary/bomb.yaml:3: YAML aliases are not allowed\n"),
    Case("an alias bomb in a glossary's domain, exported", ["glossary", "export", "glossary", "-o", "out.tbx"],
         write("glossary/bomb.yaml", GLOSSARY_BOMB), message="bomb.yaml:3: YAML aliases are not allowed",
         rss_mb=SMALL, timeout=20),
    # Item 7: nested inline HTML in linear time, or refused.
    Case("4,000 nested <b> around a paragraph", ["translate", "nest.html", "--to", "pt", "--no-tm"],
         write("nest.html", nested_page(4000, False)), exit=0, may_change=("locales/**",), rss_mb=MODEL, timeout=60),
    Case("4,000 nested <b> inside a sentence", ["segment", "nest.html"], write("nest.html", nested_page(4000, True)),
         message=r"nest.html:1: inline elements nested 4000 deep in one sentence, more than the 100", rss_mb=SMALL),
    Case("30,000 unclosed <p>", ["segment", "p.html"], write("p.html", UNCLOSED_P), exit=0, rss_mb=SMALL, timeout=45,
         check=lambda p, r: r.stdout.count("\n") == 30_000),
    # Item 12: hangs.
    Case("articles: ['/**/*.md']", ["status"], write("transflow.yaml", "articles: ['/**/*.md']\n"),
         message=r"articles: '/\*\*/\*.md' is an absolute pattern", rss_mb=SMALL),
    Case("articles: ['../**/*.md']", ["status"], write("transflow.yaml", "articles: ['../**/*.md']\n"),
         message=r"articles: '../\*\*/\*.md' climbs above the project's folder", rss_mb=SMALL),
    Case("articles: ['**/*.md'] through symbolic link loops", ["extract"],
         steps(link_loops, write("transflow.yaml", "articles: ['articles/**/*.md']\n")), exit=0,
         may_change=("locales/*.pot",), rss_mb=SMALL, timeout=30,
         check=lambda p, r: (p / "locales/one.pot").exists()),
    Case("skip_patterns: ['^(a+)+$'] on a line of a's", ["segment", "a.txt"],
         steps(write("transflow.yaml", "skip_patterns: ['^(a+)+$']\n"), write("a.txt", "Title\n\n" + "a" * 40 + "!\n")),
         exit=0, rss_mb=SMALL, timeout=30, check=lambda p, r: "a" * 40 + "!" in r.stdout),
    Case("a skip pattern that backtracks for ever is refused", ["segment", "a.txt"],
         steps(write("transflow.yaml", "skip_patterns: ['^(a|aa)+$']\n"), write("a.txt", "Title\n\n" + "a" * 60 + "!\n")),
         message=r"a.txt: skip pattern '\^\(a\|aa\)\+\$' takes too long", rss_mb=SMALL, timeout=30),
    *[Case(f"--lock-timeout {value} while another run holds the lock",
           ["translate", "a.txt", "--to", "pt", "--no-tm", f"--lock-timeout={value}"],
           steps(write("a.txt", "Refugees crossed the border.\n"), locked_by_another_run),
           message=rf"--lock-timeout must be a number of seconds from 0 to 86400, not {value}", rss_mb=SMALL, timeout=20)
      for value in ("nan", "inf", "-1.0")],
    Case("UTF-16 with a byte order mark", ["segment", "u.txt"], write("u.txt", UTF16.encode("utf-16")), exit=0,
         rss_mb=SMALL, check=lambda p, r: "\tThey were sent back." in r.stdout),
    Case("UTF-16 with a byte order mark and --encoding utf-16", ["segment", "u.txt", "--encoding", "utf-16"],
         write("u.txt", UTF16.encode("utf-16")), exit=0, rss_mb=SMALL,
         check=lambda p, r: "\tRefugees crossed the border." in r.stdout),
    Case("UTF-16 without a byte order mark needs --encoding", ["segment", "u.txt"],
         write("u.txt", UTF16.encode("utf-16-le")), message="needs --encoding utf-16", rss_mb=SMALL),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_bounds(case, tmp_path):
    run_case(case, tmp_path)


# --- item 9: index links and download sizes ------------------------------------------

class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.startswith("/away/"):  # a mirror that sends the download elsewhere
            self.send_response(302)
            self.send_header("Location", "http://192.0.2.1/" + self.path.rsplit("/", 1)[-1])
            self.end_headers()
            return
        if self.path == "/endless.argosmodel":  # never ends, and says no length
            self.send_response(200)
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"\0" * 65536)
            except OSError:
                return
        super().do_GET()


@pytest.fixture
def site(tmp_path):
    with serving(tmp_path, _Handler) as served:
        yield served


def index_entry(links, **more) -> dict:
    return {"from_code": "en", "to_code": "ko", "package_version": "1.0", "type": "translate", "links": links, **more}


def nothing_installed(project: Path, result) -> None:
    root = Path(os.environ["TRANSFLOW_ARGOS_DIR"])
    assert not root.exists() or [p.name for p in root.iterdir()] == []


def local_index(links, *extra):
    return steps(*extra, write("mirror/index.json", json.dumps([index_entry(links)])))


DOWNLOAD = ["models", "download", "en", "ko", "--index", "mirror"]
LINK_CASES = [
    Case("a local index linking to file:///dev/zero", DOWNLOAD, local_index(["file:///dev/zero"]),
         message=r"links to file:///dev/zero, a file outside the index's folder .*; nothing downloaded",
         rss_mb=SMALL, check=nothing_installed),
    Case("a local index linking to a link to /dev/zero in its folder", DOWNLOAD,
         local_index(["zero.argosmodel"], link("mirror/zero.argosmodel", "/dev/zero")),
         message="a file outside the index's folder", rss_mb=SMALL, check=nothing_installed),
    Case("a local index linking to a FIFO in its folder", DOWNLOAD,
         local_index(["pipe.argosmodel"], fifo("mirror/pipe.argosmodel")),
         message=r"pipe.argosmodel: is a FIFO \(named pipe\)", rss_mb=SMALL, timeout=20, check=nothing_installed),
    Case("a local index linking to a public address", DOWNLOAD,
         local_index(["http://192.0.2.1/translate-en_ko.argosmodel"]),
         message=r"links to http://192.0.2.1/translate-en_ko.argosmodel, not on this machine "
                 r"\(pass --allow-any-origin to follow links elsewhere\)", rss_mb=SMALL, timeout=20,
         check=nothing_installed),
]


@pytest.mark.parametrize("case", LINK_CASES, ids=str)
def test_index_links(case, tmp_path):
    run_case(case, tmp_path)


def served(site, entry: dict, body: bytes = b"") -> None:
    folder, _ = site
    for name in entry["links"]:
        if "/" not in name:
            (folder / name).write_bytes(body)
    (folder / "index.json").write_text(json.dumps([entry]), encoding="utf-8")


@pytest.mark.parametrize("name,entry,body,code,message", [
    ("another origin", index_entry(["http://192.0.2.1/p.argosmodel"]), b"", 2,
     r"links to http://192.0.2.1/p.argosmodel, not on the index's origin"),
    ("a redirect to another origin", index_entry(["away/p.argosmodel"]), b"", 2,
     r"redirects to http://192.0.2.1/p.argosmodel, not on the index's origin"),
    ("more bytes than the index gives", index_entry(["p.argosmodel"], size=1000), b"PK" * 4000, 1,
     r"would send 8000 bytes, more than the 1000 bytes the index gives"),
    ("an endless download the index gives a size for", index_entry(["endless.argosmodel"], size=5_000_000), b"", 1,
     r"sends more than the 5000000 bytes the index gives"),
])
def test_a_served_index(name, entry, body, code, message, site, tmp_path):
    served(site, entry, body)
    run_case(Case(name, ["models", "download", "en", "ko", "--index", site[1]], exit=code, message=message,
                  rss_mb=SMALL, timeout=30, check=nothing_installed), tmp_path)


class _Endless:
    """A response body that never ends, as a hostile server sends it."""

    headers: dict = {}

    def read(self, n=-1):
        return b"\0" * (65536 if n < 0 else min(n, 65536))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


@pytest.mark.parametrize("size,cap", [(300_000, None), (None, 200_000)])
def test_a_download_stops_at_its_bound_and_writes_nothing_past_it(size, cap, monkeypatch):
    monkeypatch.setattr(index, "_open", lambda url, what, refusal=None: _Endless())
    if cap is not None:
        monkeypatch.setattr(index, "MAX_DOWNLOAD_BYTES", cap)
    offer = index.Offer("argos", "en", "ko", "1.0", "translate-en_ko", ("http://127.0.0.1:9/p",), size=size, index="x")
    out = io.BytesIO()
    with pytest.raises(index.NetworkError, match="sends more than"):
        index._stream("http://127.0.0.1:9/p", out, offer, None)
    assert (size or cap) - index._CHUNK < len(out.getvalue()) <= (size or cap)


def test_allow_any_origin_lets_a_mirror_link_anywhere_and_the_built_in_index_may():
    refusal = index._link_refusal
    assert refusal("https://cdn.example.org/p.argosmodel", "https://mirror.example.org/index.json") is not None
    assert refusal("https://cdn.example.org/p.argosmodel", "https://mirror.example.org/index.json", True) is None
    assert refusal("https://mirror.example.org:443/p.argosmodel", "https://mirror.example.org/index.json") is None
    assert refusal("http://mirror.example.org/p.argosmodel", "https://mirror.example.org/index.json") is not None
    assert refusal("https://cdn.example.org/p.argosmodel", index.DEFAULT_ARGOS_INDEX + "index.json") is None
    assert refusal("http://[::1]:8000/p.argosmodel", "file:///srv/mirror/index.json") is None
    assert refusal("file:///etc/passwd", "file:///srv/mirror/index.json", True) is not None


def test_the_bounds_are_the_documented_ones():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for figure in (f"{inputs.ARTICLE_BYTES // inputs.MB} MB", f"{inputs.PO_BYTES // inputs.MB} MB",
                   f"{longunits.MAX_UNIT_CHARS} characters", "--allow-any-origin"):
        assert figure in readme
