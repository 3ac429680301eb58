"""`transflow models available|download|export|install` against a package index served
from 127.0.0.1 by the test: listing, checksum verification and refusal, atomic install,
carrying models to an offline machine, and a Korean translation through a downloaded
package. Nothing here reaches beyond the loopback interface."""

import fcntl
import functools
import hashlib
import io
import json
import os
import re
import socket
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polib
import pytest
from argos_fixture import build_argos_package
from click.testing import CliRunner
from conftest import msgfmt_check, requires_gettext
from system_tools import need

from transflow import langs
from transflow.cli import main
from transflow.engines import argos, index

TRUNCATED = "/truncated.argosmodel"


class _Handler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == TRUNCATED:
            # Promises a megabyte, sends a few bytes, hangs up: a connection lost mid-download.
            self.send_response(200)
            self.send_header("Content-Length", str(1024 * 1024))
            self.end_headers()
            self.wfile.write(b"PK\x03\x04 not all of it")
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def site(tmp_path):
    """A folder served over HTTP on 127.0.0.1 (port chosen by the system); yields (folder, base URL)."""
    folder = tmp_path / "site"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Every connection goes to 127.0.0.1, and no index default points at the internet."""
    real = socket.create_connection

    def guarded(address, *args, **kwargs):
        assert address[0] in ("127.0.0.1", "localhost"), f"connection to {address}"
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    # A closed port: `--engine all` would otherwise ask Mozilla's server.
    monkeypatch.setenv("FXTRANSLATE_RECORDS_URL", f"http://127.0.0.1:{_closed_port()}/records")


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture(scope="module")
def ko_package(tmp_path_factory) -> Path:
    """A synthetic en->ko package (its model copies the English: enforcement puts the Korean terms in)."""
    return build_argos_package(tmp_path_factory.mktemp("ko"), "en", "ko")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def serve_package(site, package: Path, **entry) -> dict:
    """Copy package into the served folder and list it in index.json (entry overrides fields)."""
    folder, _ = site
    (folder / package.name).write_bytes(package.read_bytes())
    meta = {"package_version": "1.0", "argos_version": "1.9", "from_code": "en", "from_name": "English",
            "to_code": "ko", "to_name": "Korean", "type": "translate", "links": [package.name],
            "sha256": sha256(package)}
    meta.update(entry)
    meta = {k: v for k, v in meta.items() if v is not None}
    write_index(site, [meta])
    return meta


def write_index(site, entries) -> None:
    (site[0] / "index.json").write_text(json.dumps(entries), encoding="utf-8")


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def packages_dir() -> Path:
    return argos.default_packages_dir()


def installed() -> list[str]:
    return [i.model_id for i in argos.installed_packages()]


def leftovers() -> list[str]:
    root = packages_dir()
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".")) if root.is_dir() else []


def test_available_lists_what_the_served_index_offers(site):
    write_index(site, [
        {"from_code": "en", "to_code": "ko", "package_version": "1.1", "links": ["translate-en_ko-1_1.argosmodel"]},
        {"from_code": "ar", "to_code": "en", "package_version": "1.0", "links": ["https://example.org/ar_en.argosmodel"]},
        {"from_code": "zt", "to_code": "en", "package_version": "1.9", "links": ["zt_en.argosmodel"]},
        {"type": "sbd", "from_code": "en", "package_version": "1.0", "links": ["sbd.argosmodel"]},
        {"from_code": "qq", "to_code": "en", "package_version": "1.0", "links": ["x.argosmodel"]},
        {"from_code": "en", "to_code": "de", "package_version": "1.0", "links": []},
    ])
    result = run("models", "available", "--engine", "argos", "--index", site[1])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 3
    assert re.match(r"argos +ar->en +Arabic -> English +1\.0$", lines[0])
    assert re.match(r"argos +en->ko +English -> Korean +1\.1$", lines[1])
    assert re.match(r"argos +zt->en +Chinese \(traditional\) -> English +1\.9$", lines[2])
    assert "left out 3 index entries" in result.stderr

    only_ko = run("models", "available", "--engine", "argos", "--index", site[1], "--to", "ko", "--json")
    rows = json.loads(only_ko.stdout)
    assert [(r["source"], r["target"], r["target_name"], r["installed"]) for r in rows] == [("en", "ko", "Korean", None)]
    # Relative links are resolved against the index, so a mirror is just a folder.
    assert rows[0]["links"] == [site[1] + "translate-en_ko-1_1.argosmodel"]


def test_download_verifies_installs_and_says_where(site, ko_package):
    serve_package(site, ko_package)
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 0, result.output
    assert installed() == ["argos:translate-en_ko-1.0"]
    where = packages_dir() / "translate-en_ko"
    assert f"sha256 verified) in {where}" in result.stderr
    assert "\r" not in result.stderr  # no progress bar off a terminal
    assert leftovers() == []
    listed = run("models", "list")
    assert "argos     en->ko" in listed.stdout
    available = run("models", "available", "--engine", "argos", "--index", site[1])
    assert available.stdout.rstrip().endswith("installed: argos:translate-en_ko-1.0")


def test_wrong_checksum_is_refused_and_nothing_installed(site, ko_package):
    serve_package(site, ko_package, sha256="0" * 64)
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "checksum mismatch" in result.stderr and f"the download has {sha256(ko_package)}" in result.stderr
    assert installed() == []
    assert leftovers() == []
    assert not (packages_dir() / "translate-en_ko").exists()


def test_an_index_without_checksum_is_said_so(site, ko_package):
    serve_package(site, ko_package, sha256=None)
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 0, result.output
    assert "the index gives no checksum for translate-en_ko-1.0" in result.stderr
    assert "not verified" in result.stderr
    assert installed() == ["argos:translate-en_ko-1.0"]


def test_checksum_forms_an_index_may_use(site, ko_package):
    serve_package(site, ko_package, sha256=None, checksum="sha256:" + sha256(ko_package).upper())
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert "sha256 verified" in result.stderr, result.output


def test_newest_version_wins_and_argos_package_index_env_is_honoured(site, ko_package, monkeypatch):
    old = build_argos_package(site[0] / "old", "en", "ko", version="0.9")
    write_index(site, [
        {"from_code": "en", "to_code": "ko", "package_version": "0.9", "links": ["old/" + old.name], "sha256": sha256(old)},
        {"from_code": "en", "to_code": "ko", "package_version": "1.0", "links": ["ko.argosmodel"], "sha256": sha256(ko_package)},
    ])
    (site[0] / "ko.argosmodel").write_bytes(ko_package.read_bytes())
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", site[1])  # a base URL, as argostranslate reads it
    result = run("models", "download", "en", "ko")
    assert result.exit_code == 0, result.output
    assert installed() == ["argos:translate-en_ko-1.0"]


def test_network_errors_are_one_clear_line(site, ko_package):
    closed = f"http://127.0.0.1:{_closed_port()}/"
    result = run("models", "available", "--engine", "argos", "--index", closed)
    assert result.exit_code == 1
    assert result.stderr == (f"transflow: error: cannot download the Argos package index from {closed}index.json: "
                             f"Connection refused; {index.OFFLINE_ARGOS}\n")
    both = run("models", "available", "--index", closed)  # the Firefox records are on a closed port too
    assert both.exit_code == 1
    assert both.stderr.startswith("transflow: warning: argos models not listed: cannot download the Argos package index")
    assert both.stderr.splitlines()[1].startswith("transflow: error: cannot download the Firefox Translations model list")

    serve_package(site, ko_package, links=["missing.argosmodel"])
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 1
    assert result.stderr == f"transflow: error: cannot download translate-en_ko-1.0: {site[1]}missing.argosmodel answered HTTP 404 File not found\n"

    serve_package(site, ko_package, links=[TRUNCATED.lstrip("/")])
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "cannot download translate-en_ko-1.0" in result.stderr
    assert installed() == [] and leftovers() == []

    result = run("models", "download", "en", "ja", "--index", site[1])
    assert result.exit_code == 2
    assert result.stderr == "transflow: error: the index offers no model for en->ja; pairs with en: en->ko\n"


def test_a_dead_mirror_falls_back_to_the_next_link(site, ko_package):
    dead = f"http://127.0.0.1:{_closed_port()}/ko.argosmodel"
    serve_package(site, ko_package, links=[dead, ko_package.name])
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 0, result.output
    assert installed() == ["argos:translate-en_ko-1.0"]


def test_a_download_killed_earlier_is_cleaned_up_a_running_or_recent_one_is_not(site, ko_package):
    from transflow.engines import leftovers as staging

    root = packages_dir()
    killed, running, recent = root / ".download-killed", root / ".download-running", root / ".download-recent"
    for folder in (killed, running, recent):
        folder.mkdir(parents=True)
        (folder / "translate-en_ko-1_0.argosmodel").write_bytes(b"half a package")
    old = time.time() - staging.STALE_AFTER - 60
    for folder in (killed, running):
        os.utime(folder, (old, old))
    serve_package(site, ko_package)
    with open(running / "translate-en_ko-1_0.argosmodel", "rb") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # as the process downloading it holds it
        assert run("models", "download", "en", "ko", "--index", site[1]).exit_code == 0
    # A recent unlocked folder may be a download that has not taken its lock yet.
    assert leftovers() == [".download-recent", ".download-running"]


def test_a_download_killed_by_sigkill_is_cleaned_up_by_the_next(site, ko_package):
    import signal
    import sys

    from transflow.engines import leftovers as staging

    serve_package(site, ko_package)
    # SIGKILL halfway through the download, while the process holds its lock.
    code = ("import os, signal, sys\n"
            "from transflow.engines import index\n"
            "def dying(offer, f, progress):\n"
            "    f.write(b'half a package'); f.flush(); os.kill(os.getpid(), signal.SIGKILL)\n"
            "index._download_any = dying\n"
            "index.download(index.choose(index.argos_offers(sys.argv[1])[0], 'en', 'ko'))\n")
    proc = subprocess.run([sys.executable, "-c", code, site[1]])
    assert proc.returncode == -signal.SIGKILL
    [left] = leftovers()
    assert left.startswith(".download-")
    old = time.time() - staging.STALE_AFTER - 60
    os.utime(packages_dir() / left, (old, old))
    assert run("models", "download", "en", "ko", "--index", site[1]).exit_code == 0
    assert leftovers() == [] and installed() == ["argos:translate-en_ko-1.0"]


def test_a_verified_download_that_is_no_package_is_refused(site, tmp_path):
    junk = tmp_path / "translate-en_ko-1_0.argosmodel"
    junk.write_bytes(b"not a zip archive at all")
    serve_package(site, junk)
    result = run("models", "download", "en", "ko", "--index", site[1])
    assert result.exit_code == 2
    assert result.stderr == "transflow: error: translate-en_ko-1_0.argosmodel: not a valid .argosmodel file (it must be a zip archive)\n"
    assert installed() == [] and leftovers() == []


def test_an_index_on_the_web_cannot_point_at_local_files(site, ko_package):
    serve_package(site, ko_package, links=[ko_package.as_uri()])
    result = run("models", "available", "--engine", "argos", "--index", site[1])
    assert result.stdout == "" and "left out 1 index entries" in result.stderr


def test_download_bar_draws_on_one_line():
    out = io.StringIO()
    bar = index.DownloadBar("translate-en_ko-1.0", stream=out, every=0)
    bar(512, 1024)
    bar(1024, 1024)
    bar.close()
    text = out.getvalue()
    assert "\rdownloading translate-en_ko-1.0  [############------------]  50%  0.0/0.0 MB" in text
    assert "100%" in text and text.endswith("\r\x1b[K") and "\n" not in text


def test_export_then_install_on_an_offline_machine(site, ko_package, tmp_path, monkeypatch):
    assert run("models", "install", str(ko_package)).exit_code == 0
    result = run("models", "export", "en-ko", "-o", str(tmp_path / "usb"))
    assert result.exit_code == 0, result.output
    archive = tmp_path / "usb" / "translate-en_ko-1_0.argosmodel"
    listing = json.loads((tmp_path / "usb" / "index.json").read_text())
    assert [(e["from_code"], e["to_code"], e["links"], e["sha256"]) for e in listing] == [
        ("en", "ko", [archive.name], sha256(archive))]

    # The other machine: nothing installed, no network.
    monkeypatch.setenv("TRANSFLOW_ARGOS_DIR", str(tmp_path / "offline"))
    assert installed() == []
    de = build_argos_package(tmp_path / "usb", "en", "de")
    result = run("models", "install", str(tmp_path / "usb"))
    assert result.exit_code == 0, result.output
    assert sorted(installed()) == ["argos:translate-en_de-1.0", "argos:translate-en_ko-1.0"]
    assert result.stderr.count("installed ") == 2
    assert de.exists()

    # The exported folder is also a mirror that downloads verify against.
    monkeypatch.setenv("TRANSFLOW_ARGOS_DIR", str(tmp_path / "from-mirror"))
    result = run("models", "download", "en", "ko", "--index", str(tmp_path / "usb"))
    assert result.exit_code == 0, result.output
    assert "sha256 verified" in result.stderr


def test_export_cleans_up_after_a_killed_export(ko_package, tmp_path):
    """A temporary archive of an export killed mid-write is deleted by the next export."""
    assert run("models", "install", str(ko_package)).exit_code == 0
    usb = tmp_path / "usb"
    usb.mkdir()
    killed = usb / ".translate-en_ko-1_0.argosmodel.4194303.k1ll3d_x.tmp"
    killed.write_bytes(b"PK half a zip")
    two_hours_ago = time.time() - 7200
    os.utime(killed, (two_hours_ago, two_hours_ago))
    result = run("models", "export", "en-ko", "-o", str(usb))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in usb.iterdir()) == ["index.json", "translate-en_ko-1_0.argosmodel"]


def test_export_and_install_refusals(tmp_path):
    result = run("models", "export", "en-ko", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "no Argos package for en->ko is installed" in result.stderr
    result = run("models", "export", "english", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2 and "is not a language pair" in result.stderr
    (tmp_path / "empty").mkdir()
    result = run("models", "install", str(tmp_path / "empty"))
    assert result.exit_code == 2 and "no .argosmodel files" in result.stderr


@requires_gettext
def test_translate_to_korean_through_a_downloaded_package(site, ko_package, project):
    serve_package(site, ko_package)
    assert run("models", "download", "en", "ko", "--index", site[1]).exit_code == 0
    result = run("translate", "north-korean-refugees.txt", "--to", "ko", "--engine", "argos", "--no-tm")
    assert result.exit_code == 0, result.output
    path = project / "locales" / "ko" / "LC_MESSAGES" / "north-korean-refugees.po"
    msgfmt_check(path)
    text = path.read_text(encoding="utf-8")
    assert '"Language: ko\\n"' in text and '"Language-Team: Korean\\n"' in text
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in text
    po = polib.pofile(str(path))
    drafts = {e.msgid: e for e in po}
    # Glossary terms are held in Hangul inside the copied English.
    entry = next(e for m, e in drafts.items() if "North Korean refugees" in m)
    assert "난민" in entry.msgstr and "#. mt: argos:translate-en_ko-1.0" in str(entry)
    result = run("check", "locales", "--strict", "--format", "json")
    assert json.loads(result.stdout) == []

    # A reviewed Korean entry: a term with a particle glued on still matches, a lost one is found.
    entry.msgstr = entry.msgstr.replace("난민", "난민들을")
    entry.flags.remove("fuzzy")
    other = next(e for m, e in drafts.items() if "detention" in m and e is not entry)
    other.msgstr = other.msgstr.replace("구금", "custody")
    other.flags.remove("fuzzy")
    po.save(str(path))
    result = run("check", "locales", "--format", "json")
    findings = json.loads(result.stdout)
    assert [(f["kind"], f["term"]) for f in findings] == [("missing", "detention")], findings
    assert result.exit_code == 1


def test_firefox_translations_listed_from_served_records(site, monkeypatch):
    def record(kind, source, target, version="3.0"):
        return {"name": f"{kind}.{source}{target}.bin", "fileType": kind, "sourceLanguage": source,
                "targetLanguage": target, "version": version,
                "attachment": {"hash": "0" * 64, "size": 1, "filename": "f", "location": "x/y.bin"}}

    records = [record(k, s, t) for s, t in (("en", "ko"), ("ru", "en")) for k in ("model", "vocab", "lex")]
    records += [record("model", "en", "ar", "1.0")]  # below the version gate: not offered
    (site[0] / "records").write_text(json.dumps({"data": records}), encoding="utf-8")
    monkeypatch.setenv("FXTRANSLATE_RECORDS_URL", site[1] + "records")
    result = run("models", "available", "--engine", "bergamot")
    assert result.exit_code == 0, result.output
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [["bergamot", "en->ko"], ["bergamot", "ru->en"]]
    assert "Russian -> English" in result.stdout

    # Both indexes at once; a pair neither offers is refused before any model download.
    write_index(site, [{"from_code": "en", "to_code": "ko", "package_version": "1.0", "links": ["k.argosmodel"]}])
    both = run("models", "available", "--index", site[1], "--to", "ko")
    assert [line.split()[:2] for line in both.stdout.splitlines()] == [["argos", "en->ko"], ["bergamot", "en->ko"]]
    result = run("models", "download", "en", "ar", "--engine", "bergamot")
    assert result.exit_code == 2
    assert result.stderr == "transflow: error: Firefox Translations has no model for en->ar; pairs with en: en->ko, ru->en\n"


# Codes the Argos index and Firefox Translations offer (2025), plus their variants.
INDEX_LANGUAGES = (
    "ar az be bg bn bs ca cs da de el en eo es et eu fa fi fr ga gl gu he hi hr hu id is it ja kk kn ko "
    "ky lt lv ml ms mt nb nl nn pl pt pb pt_BR ro ru sk sl sq sr sv ta te th tl tr uk ur vi zh zt zh_Hant"
).split()


def test_plural_forms_for_every_index_language():
    assert langs.plural_forms("ko") == langs.plural_forms("zh") == langs.plural_forms("ja") == "nplurals=1; plural=0;"
    assert langs.plural_forms("zh_Hant") == langs.plural_forms("zt") == "nplurals=1; plural=0;"
    assert langs.plural_forms("ar").startswith("nplurals=6;")
    assert langs.plural_forms("ru").startswith("nplurals=3;")
    assert langs.plural_forms("tr") == "nplurals=2; plural=(n != 1);"  # GNU gettext's table
    assert langs.plural_forms("fa") == langs.plural_forms("bn") == "nplurals=2; plural=(n > 1);"  # CLDR: 0 and 1
    for code in INDEX_LANGUAGES:
        assert langs.name(code) and langs.display_name(code)
    assert langs.display_name("zh_Hant") == "Chinese (traditional)"
    assert langs.is_unspaced("zh_Hant") and langs.is_unspaced("ja") and not langs.is_unspaced("ko")


@requires_gettext
def test_every_plural_forms_header_passes_msgfmt(tmp_path):
    """GNU msgfmt -c evaluates each expression and checks it against nplurals."""
    for code in sorted(set(INDEX_LANGUAGES) | set(langs.PLURAL_FORMS)):
        forms = langs.plural_forms(code)
        n = int(re.search(r"nplurals=(\d+)", forms).group(1))
        msgstrs = "".join(f'msgstr[{i}] "{i} x"\n' for i in range(n))
        path = tmp_path / f"{code}.po"
        path.write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
            f'"Language: {code}\\n"\n"Plural-Forms: {forms}\\n"\n\n'
            f'msgid "%d x"\nmsgid_plural "%d xs"\n{msgstrs}',
            encoding="utf-8",
        )
        result = subprocess.run(["msgfmt", "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, f"{code}: {result.stderr}"


# --- Firefox Translations models from a mirror ------------------------------------


@pytest.fixture
def fx_mirror(site, monkeypatch):
    """Mozilla's layout on 127.0.0.1: records naming zstd-compressed attachments (the
    embedded en->pt model's own files, compressed with the zstd program), served under
    an attachments base URL. Yields (records, attachments folder, embedded model folder)."""
    from transflow.engines import bergamot

    need("zstd")
    [model_dir] = [d for info, d in bergamot.embedded_models() if (info.source, info.target) == ("en", "pt")]
    folder = site[0] / "attachments" / "main-workspace" / "translations-models"
    folder.mkdir(parents=True)
    records = []
    for kind, name in (("model", "model.enpt.intgemm.alphas.bin"), ("lex", "lex.50.50.enpt.s2t.bin"),
                       ("vocab", "vocab.enpt.spm")):
        data = (model_dir / name).read_bytes()
        location = f"main-workspace/translations-models/{kind}-0f3a.zst"
        subprocess.run(["zstd", "-q", "-1", "-f", str(model_dir / name), "-o", str(site[0] / "attachments" / location)],
                       check=True)
        records.append({"name": name, "fileType": kind, "sourceLanguage": "en", "targetLanguage": "pt",
                        "version": "3.0", "architecture": "base", "decompressedHash": hashlib.sha256(data).hexdigest(),
                        "attachment": {"hash": "0" * 64, "size": (site[0] / "attachments" / location).stat().st_size,
                                       "filename": name + ".zst", "location": location}})
    # An older version and another architecture that must not be chosen.
    records.append({**records[0], "version": "1.0", "attachment": {**records[0]["attachment"], "location": "missing/1"}})
    records.append({**records[0], "architecture": "tiny", "attachment": {**records[0]["attachment"], "location": "missing/2"}})
    (site[0] / "records").write_text(json.dumps({"data": records}), encoding="utf-8")
    monkeypatch.setenv("FXTRANSLATE_RECORDS_URL", site[1] + "records")
    monkeypatch.setenv("TRANSFLOW_BERGAMOT_ATTACHMENTS_URL", site[1] + "attachments/")
    return records, site[0] / "attachments", model_dir


def test_a_firefox_model_downloads_from_a_mirror_and_translates(fx_mirror):
    from transflow import engines
    from transflow.engines import bergamot

    records, _, model_dir = fx_mirror
    result = run("models", "download", "en", "pt", "--engine", "bergamot")
    assert result.exit_code == 0, result.output
    cached = bergamot.cache_dir() / "en-pt"
    assert sorted(p.name for p in cached.iterdir()) == sorted(r["name"] for r in records[:3])
    for r in records[:3]:
        assert (cached / r["name"]).read_bytes() == (model_dir / r["name"]).read_bytes()
    assert [p.name for p in bergamot.cache_dir().iterdir()] == ["en-pt"]  # no staging folder left

    # The downloaded model is the one found first, and it runs (through fxtranslate).
    listing = run("models", "list").stdout
    assert "fxtranslate cache" in listing and "en->pt" in listing
    [(info, path)] = [(i, d) for i, d in bergamot.available() if (i.source, i.target) == ("en", "pt")]
    assert path == cached
    sentence = "The report was published on Monday."
    downloaded = engines.load_engine(info, jobs=1).translate([sentence])
    [(embedded_info, _)] = [(i, d) for i, d in bergamot.embedded_models() if (i.source, i.target) == ("en", "pt")]
    assert downloaded == bergamot.BergamotEngine(embedded_info, model_dir, jobs=1).translate([sentence])
    assert downloaded[0] and downloaded[0] != sentence


def test_a_firefox_attachment_that_does_not_check_out_installs_nothing(fx_mirror):
    from transflow.engines import bergamot

    _, attachments, _ = fx_mirror
    lex = attachments / "main-workspace" / "translations-models" / "lex-0f3a.zst"
    lex.write_bytes(subprocess.run(["zstd", "-q", "-c"], input=b"not the shortlist", capture_output=True, check=True).stdout)
    result = run("models", "download", "en", "pt", "--engine", "bergamot")
    assert result.exit_code == 2, result.output
    assert "lex.50.50.enpt.s2t.bin" in result.stderr and "refusing it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    cache = bergamot.cache_dir()
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_firefox_record_cannot_name_a_path(fx_mirror, site):
    records, _, _ = fx_mirror
    records[1]["name"] = "../../escaped.bin"
    (site[0] / "records").write_text(json.dumps({"data": records}), encoding="utf-8")
    result = run("models", "download", "en", "pt", "--engine", "bergamot")
    assert result.exit_code == 2 and "refusing it" in result.stderr
    assert not (site[0].parent / "escaped.bin").exists()
