"""Downloading Firefox Translations (Bergamot) models named by Remote Settings records.

fxtranslate's own ``add_models`` fetches every attachment from Mozilla's CDN whatever
the records URL says: a desk's mirror could list models but not serve them, and no
test could download one. Here each file the records name for a pair is fetched from
``TRANSFLOW_BERGAMOT_ATTACHMENTS_URL`` (default: Mozilla's attachment CDN) plus the
record's ``location``, checked and decompressed by fxtranslate's
``verify_and_decompress`` against the record's ``decompressedHash`` (an attachment
without one is checked against its own ``hash``), and the pair's files reach the cache
folder the engine reads (``<cache>/<src>-<trg>/``, fxtranslate's layout) in one rename.

Which records: fxtranslate resolves the route (direct, or two legs through English)
and gates versions (``model_pairs``); of the versions it accepts for a leg the newest
complete one is taken, and of its architectures "base" first.
"""

import json
import os
import shutil
import sys
import tempfile
import urllib.parse
from pathlib import Path

from .. import langs
from ..errors import PackageError
from . import index, leftovers

ATTACHMENTS_URL = "https://firefox-settings-attachments.cdn.mozilla.net/"
ROLES = ("model", "lex", "vocab", "srcvocab", "trgvocab")
_TEMP_PREFIX = ".download-"
_LOCK = "lock"


def attachments_url() -> str:
    return os.environ.get("TRANSFLOW_BERGAMOT_ATTACHMENTS_URL") or ATTACHMENTS_URL


def download(source: str, target: str, cache: Path | None = None, bar=None) -> dict:
    """Download the pair (both legs of a pivot) into ``cache`` (default: the engine's);
    return fxtranslate's route. ``bar(label)`` makes a progress callback per file."""
    from fxtranslate import discovery

    from . import bergamot

    url, body = index._records()
    try:
        route = discovery.resolve_route(body, source, target)
    except ValueError:
        offers, _ = index.bergamot_offers((url, body))
        near = sorted(f"{o.source}->{o.target}" for o in offers if langs.base(source) in (o.source, o.target))
        hint = f"; pairs with {source}: {', '.join(near)}" if near else ""
        raise PackageError(f"Firefox Translations has no model for {source}->{target}{hint}") from None
    legs = ([(route["src"], route["trg"])] if route["kind"] == "direct"
            else [(route["src"], route["pivot"]), (route["pivot"], route["trg"])])
    records = _data(body, url)
    chosen = [(leg, leg_records(records, leg)) for leg in legs]  # all known before any download
    cache = Path(cache or bergamot.cache_dir())
    for leg, files in chosen:
        _install(leg, files, cache, bar)
    return route


def _data(body: str, url: str) -> list[dict]:
    try:
        data = json.loads(body).get("data")
    except (ValueError, AttributeError):
        data = None
    if not isinstance(data, list):
        raise index.NetworkError(f"the Firefox Translations model list at {url} has no list of records")
    return [r for r in data if isinstance(r, dict)]


def leg_records(records: list[dict], leg: tuple[str, str]) -> list[dict]:
    """The records of the files to download for one leg (see the module's docstring)."""
    from fxtranslate import discovery

    mine = [r for r in records
            if (r.get("sourceLanguage"), r.get("targetLanguage")) == leg and r.get("fileType") in ROLES]
    versions: dict[str, list[dict]] = {}
    for r in mine:
        versions.setdefault(str(r.get("version")), []).append(r)
    for version in sorted(versions, key=index.version_key, reverse=True):
        if leg not in [tuple(p) for p in discovery.model_pairs(json.dumps({"data": versions[version]}))]:
            continue  # a version this fxtranslate does not run
        architectures = sorted({str(r.get("architecture") or "") for r in versions[version]}, key=lambda a: (a != "base", a))
        for architecture in architectures:
            by_role: dict[str, dict] = {}
            for r in versions[version]:
                if str(r.get("architecture") or "") == architecture:
                    by_role.setdefault(r["fileType"], r)
            if "model" in by_role and ("vocab" in by_role or {"srcvocab", "trgvocab"} <= by_role.keys()):
                return list(by_role.values())
    raise PackageError(f"the Firefox Translations records list no complete model for {leg[0]}->{leg[1]}")


def _install(leg: tuple[str, str], files: list[dict], cache: Path, bar) -> None:
    label = f"{leg[0]}-{leg[1]}"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PackageError(f"cannot write to {cache}: {e.strerror}") from None
    leftovers.remove_abandoned(cache, _TEMP_PREFIX, _LOCK)
    staging = Path(tempfile.mkdtemp(prefix=f"{_TEMP_PREFIX}{label}-", dir=cache))
    lock = leftovers.hold(staging / _LOCK)  # a later download knows this one is alive
    try:
        ready = staging / "files"
        ready.mkdir()
        for record in files:
            _fetch_file(record, ready, label, bar)
        target = cache / label
        if target.exists():
            os.rename(target, staging / "previous")
        os.rename(ready, target)
    finally:
        os.close(lock)
        shutil.rmtree(staging, ignore_errors=True)


def _fetch_file(record: dict, folder: Path, label: str, bar) -> None:
    from fxtranslate import discovery

    name, attachment = record.get("name"), record.get("attachment")
    location = attachment.get("location") if isinstance(attachment, dict) else None
    if not (isinstance(name, str) and name and os.path.basename(name) == name and not name.startswith(".")):
        raise PackageError(f"{label}: a record names its file {name!r}; refusing it")
    if not isinstance(location, str) or not location:
        raise PackageError(f"{label}: the record of {name} gives no attachment location")
    url = urllib.parse.urljoin(attachments_url().rstrip("/") + "/", location.lstrip("/"))
    offer = index.Offer("bergamot", *label.split("-"), str(record.get("version")), name, (url,),
                        size=attachment.get("size") if isinstance(attachment.get("size"), int) else None)
    progress = bar(f"{label} {name}") if bar is not None else None
    try:
        with tempfile.TemporaryFile(dir=folder) as f:
            digest = index._stream(url, f, offer, progress)
            f.seek(0)
            data = f.read()
    finally:
        getattr(progress, "close", lambda: None)()
    expected = record.get("decompressedHash")
    if isinstance(expected, str) and expected:
        try:
            data = discovery.verify_and_decompress(data, expected.lower())
        except ValueError as e:
            raise PackageError(f"{label}: {name} from {url} does not check out ({e}); refusing it") from None
    else:
        given = attachment.get("hash")
        if not (isinstance(given, str) and given.lower() == digest):
            raise PackageError(f"{label}: {name} from {url} has sha256 {digest}, the record gives {given!r}; refusing it")
    try:
        (folder / name).write_bytes(data)
    except OSError as e:
        raise PackageError(f"cannot write {name} into {folder}: {e.strerror or e}") from None


def progress_bars():
    """A DownloadBar per file on a terminal, else None."""
    return index.DownloadBar if sys.stderr.isatty() else None
