"""What can be downloaded, and downloading it without trusting the wire.

Two indexes:
- the Argos package index: ``index.json``, a list of package metadata (``from_code``,
  ``to_code``, ``package_version``, ``links``, ...), at ``ARGOS_PACKAGE_INDEX`` (a base
  URL, as argostranslate reads it) or any URL, folder or file given with ``--index``,
  so a desk can mirror it. Relative links are resolved against the index, so a folder
  written by ``transflow models export`` is a mirror.
- Firefox Translations records (Mozilla's Remote Settings, ``FXTRANSLATE_RECORDS_URL``
  overrides), read through fxtranslate's own discovery helpers; fxdownload.py
  downloads the models they name.

An Argos download goes to a hidden temporary folder inside the packages folder, is
hashed while it streams, is checked against the index's SHA-256 (a mismatch is
refused before anything is unpacked) and is then installed by the safe installer.
The temporary folder is removed on every exit; one left by a killed process is removed
by the next download once it is old enough and its lock is free (each holds a lock on
its file while it runs; see leftovers.py).
"""

import fcntl
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, langs
from ..errors import InputError, PackageError, TransflowError
from . import leftovers
from .base import ModelInfo

DEFAULT_ARGOS_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
TIMEOUT = 30  # seconds without a byte before a download is given up
MAX_DOWNLOAD_BYTES = 4 * 1024**3  # real packages are 100-500 MB; stops a server that never ends
MAX_INDEX_BYTES = 32 * 1024**2  # the real index is ~100 kB
_CHUNK = 256 * 1024
_SCHEMES = ("http", "https", "file")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_TEMP_PREFIX = ".download-"


class NetworkError(TransflowError):
    """An index or a package could not be fetched (the network, the server, a timeout).

    ``unreachable``: no server answered (no network, a name that does not resolve, a
    timeout), as opposed to one that answered with an error."""

    exit_code = 1

    def __init__(self, message: str, unreachable: bool = False):
        super().__init__(message)
        self.unreachable = unreachable


# What to do without network, added to the message of an index that could not be reached.
OFFLINE_ARGOS = ("without network, give a folder of packages: `transflow models install FOLDER`, or "
                 "--index FOLDER to check them against its index.json (`transflow models export` on a "
                 "machine with network writes both)")
OFFLINE_BERGAMOT = ("without network, point FXTRANSLATE_RECORDS_URL and TRANSFLOW_BERGAMOT_ATTACHMENTS_URL "
                    "at a mirror of Mozilla's model records and files")


@dataclass(frozen=True)
class Offer:
    """One model an index offers."""

    engine: str  # "argos" or "bergamot"
    source: str  # normalised language codes
    target: str
    version: str
    name: str  # the package's name, e.g. translate-en_ko
    links: tuple[str, ...] = ()  # absolute URLs (Argos)
    sha256: str | None = None  # as the index gives it; None: the index gives no checksum
    size: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name}-{self.version}"


# --- fetching ---------------------------------------------------------------------


def _as_url(location: str) -> str:
    """A URL as given, or a local path (file or folder) turned into a file: URL."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", location):
        return location
    path = Path(location).expanduser()
    if not path.exists():
        raise InputError(f"index {location!r} is neither a URL nor an existing file or folder")
    url = path.resolve().as_uri()
    return url + "/" if path.is_dir() else url


def argos_index_url(location: str | None = None) -> str:
    """The URL of the Argos ``index.json``: ``location`` (``--index``), else
    ``ARGOS_PACKAGE_INDEX``, else argostranslate's default; a URL or folder that does
    not name a ``.json`` file gets ``index.json`` appended, as argostranslate does."""
    url = _as_url(location or os.environ.get("ARGOS_PACKAGE_INDEX") or DEFAULT_ARGOS_INDEX)
    if urllib.parse.urlsplit(url).path.endswith(".json"):
        return url
    return url.rstrip("/") + "/index.json"


def _open(url: str, what: str):
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in _SCHEMES:
        raise InputError(f"{what}: cannot download {url!r} (only http, https and file URLs)")
    request = urllib.request.Request(url, headers={"User-Agent": f"transflow/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT)
    except BaseException as e:
        _raise_network(e, url, what)


def _raise_network(e: BaseException, url: str, what: str):
    """Turn what urllib, http.client and sockets raise into one line for a person."""
    if isinstance(e, urllib.error.HTTPError):
        raise NetworkError(f"cannot download {what}: {url} answered HTTP {e.code} {e.reason}") from None
    if isinstance(e, urllib.error.URLError):
        reason = e.reason.strerror if isinstance(e.reason, OSError) and e.reason.strerror else e.reason
        raise NetworkError(f"cannot download {what} from {url}: {reason}", unreachable=True) from None
    if isinstance(e, (TimeoutError, socket.timeout)):
        raise NetworkError(f"cannot download {what} from {url}: no answer for {TIMEOUT} s", unreachable=True) from None
    if isinstance(e, (OSError, http.client.HTTPException)):
        raise NetworkError(f"cannot download {what} from {url}: {getattr(e, 'strerror', None) or e or type(e).__name__}",
                           unreachable=isinstance(e, OSError)) from None
    if isinstance(e, ValueError):  # a malformed URL
        raise InputError(f"cannot download {what}: {url!r} is not a usable URL ({e})") from None
    raise e


def fetch(url: str, what: str, limit: int = MAX_INDEX_BYTES) -> bytes:
    """The whole body of a small document (an index)."""
    with _open(url, what) as response:
        try:
            data = response.read(limit + 1)
        except BaseException as e:
            _raise_network(e, url, what)
    if len(data) > limit:
        raise NetworkError(f"{what} at {url} is larger than {limit} bytes; refusing it")
    return data


# --- the Argos index --------------------------------------------------------------


def version_key(version: str) -> tuple:
    """Orders "1.10" after "1.9"; non-numeric parts sort as text after the numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.\-_+]", version))


def _checksum(entry: dict):
    """The SHA-256 an index entry gives: ``sha256``, ``checksum`` ("sha256:HEX" or HEX) or
    ``hashes: {sha256: HEX}``; None when it gives none. The argospm index gives none today."""
    hashes = entry.get("hashes")
    for value in (entry.get("sha256"), entry.get("checksum"), hashes.get("sha256") if isinstance(hashes, dict) else None):
        if isinstance(value, str) and value.strip():
            value = value.strip()
            return value[len("sha256:"):] if value.lower().startswith("sha256:") else value
    return None


def parse_argos_index(data: bytes, url: str) -> tuple[list[Offer], int]:
    """The translation packages of an index and how many entries were left out (other
    package kinds, unknown language codes, no links, malformed)."""
    try:
        entries = json.loads(data)
    except ValueError as e:
        raise NetworkError(f"the Argos package index at {url} is not valid JSON ({e})") from None
    if isinstance(entries, dict) and isinstance(entries.get("packages"), list):
        entries = entries["packages"]
    if not isinstance(entries, list):
        raise NetworkError(f"the Argos package index at {url} is not a list of packages")
    offers, skipped = [], 0
    for entry in entries:
        offer = _argos_offer(entry, url) if isinstance(entry, dict) else None
        if offer is None:
            skipped += 1
        else:
            offers.append(offer)
    return offers, skipped


def _argos_offer(entry: dict, url: str) -> Offer | None:
    if entry.get("type", "translate") != "translate":
        return None  # sentence-boundary (sbd) packages and the like
    source, target, version = entry.get("from_code"), entry.get("to_code"), entry.get("package_version")
    if not all(isinstance(v, str) for v in (source, target, version)):
        return None
    if not (langs.is_valid(source) and langs.is_valid(target)):
        return None
    links = entry.get("links")
    links = tuple(urllib.parse.urljoin(url, link) for link in links if isinstance(link, str) and link) if isinstance(links, list) else ()
    if urllib.parse.urlsplit(url).scheme != "file":
        # An index on the web may not make transflow read local files.
        links = tuple(link for link in links if urllib.parse.urlsplit(link).scheme in ("http", "https"))
    if not links:
        return None
    size = entry.get("size")
    source, target = langs.normalize(source), langs.normalize(target)
    return Offer(
        engine="argos",
        source=source,
        target=target,
        version=version,
        name=f"translate-{source}_{target}",
        links=links,
        sha256=_checksum(entry),
        size=size if isinstance(size, int) and size > 0 else None,
    )


def argos_offers(location: str | None = None) -> tuple[list[Offer], int]:
    url = argos_index_url(location)
    return parse_argos_index(_fetch_or_hint(url, "the Argos package index", OFFLINE_ARGOS), url)


def _fetch_or_hint(url: str, what: str, offline: str) -> bytes:
    try:
        return fetch(url, what)
    except NetworkError as e:
        if not e.unreachable:
            raise
        raise NetworkError(f"{e}; {offline}", unreachable=True) from None


# --- Firefox Translations ---------------------------------------------------------


def _records() -> tuple[str, str]:
    from fxtranslate import discovery

    url = discovery.records_url()
    return url, _fetch_or_hint(url, "the Firefox Translations model list", OFFLINE_BERGAMOT).decode("utf-8", "replace")


def bergamot_offers(records: tuple[str, str] | None = None) -> tuple[list[Offer], int]:
    """The pairs Mozilla's records offer, through fxtranslate's own (version-gated)
    reading of them; fetched here so that errors and timeouts read like the rest."""
    from fxtranslate import discovery

    url, body = records or _records()
    try:
        pairs = discovery.model_pairs(body)
        records_ = discovery.parse_records(body)
    except ValueError as e:
        raise NetworkError(f"the Firefox Translations model list at {url} cannot be read ({e})") from None
    versions: dict[tuple, str] = {}
    for r in records_:
        if r.get("fileType") == "model" and r.get("version"):
            key = (r["sourceLanguage"], r["targetLanguage"])
            if key not in versions or version_key(r["version"]) > version_key(versions[key]):
                versions[key] = r["version"]
    offers, skipped = [], 0
    for source, target in pairs:
        if not (langs.is_valid(source) and langs.is_valid(target)):
            skipped += 1
            continue
        offers.append(Offer("bergamot", langs.normalize(source), langs.normalize(target),
                            versions.get((source, target), "?"), f"{source}-{target}"))
    return offers, skipped


# --- choosing and downloading -----------------------------------------------------


def choose(offers: list[Offer], source: str, target: str) -> Offer:
    """The newest offer for the pair (a regional target like pt_BR also takes a pt model)."""
    source, target = langs.normalize(source), langs.normalize(target)
    for wanted in ((source, target), (langs.base(source), langs.base(target))):
        matching = [o for o in offers if (o.source, o.target) == wanted]
        if matching:
            return max(matching, key=lambda o: version_key(o.version))
    near = sorted({f"{o.source}->{o.target}" for o in offers if langs.base(source) in (o.source, o.target)})
    hint = f"; pairs with {source}: {', '.join(near)}" if near else ""
    raise PackageError(f"the index offers no model for {source}->{target}{hint}")


def download(offer: Offer, packages_dir: Path | None = None, progress=None) -> tuple[ModelInfo, bool]:
    """Download, verify and install an Argos offer; return the installed model and whether
    a checksum was verified. ``progress(done_bytes, total_bytes_or_None)`` is called as
    bytes arrive."""
    from . import argos
    from .argos_install import install_package

    root = Path(packages_dir or argos.default_packages_dir())
    expected = offer.sha256
    if expected is not None and not _SHA256.match(expected):
        raise PackageError(f"{offer.label}: the index gives a malformed SHA-256 {expected!r}; refusing to install")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PackageError(f"cannot write to {root}: {e.strerror}") from None
    _remove_abandoned(root)
    # A hidden folder per download: the installer names the archive in its messages,
    # and a folder is what `models list` and argostranslate already skip.
    folder = Path(tempfile.mkdtemp(prefix=_TEMP_PREFIX, dir=root))
    archive = folder / f"{offer.name}-{offer.version.replace('.', '_')}.argosmodel"
    try:
        with open(archive, "w+b") as f:
            # Held until the folder is gone: a later download knows this one is alive.
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            digest = _download_any(offer, f, progress)
            if expected is not None and digest != expected.lower():
                raise PackageError(
                    f"{offer.label}: checksum mismatch (the index gives sha256 {expected.lower()}, "
                    f"the download has {digest}); refusing to install"
                )
            info = install_package(archive, root)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return info, expected is not None


def _download_any(offer: Offer, f, progress) -> str:
    """Stream the first link that works into f; the SHA-256 of what was written."""
    failure = None
    for url in offer.links:
        f.seek(0)
        f.truncate()
        try:
            return _stream(url, f, offer, progress)
        except NetworkError as e:
            failure = e  # a mirror may be down: try the next link
    if failure is not None and failure.unreachable:
        raise NetworkError(f"{failure}; {OFFLINE_ARGOS}", unreachable=True)
    raise failure or NetworkError(f"{offer.label}: the index gives no link to download it from")


def _stream(url: str, f, offer: Offer, progress) -> str:
    what = offer.label
    sha = hashlib.sha256()
    done = 0
    with _open(url, what) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else offer.size
        while True:
            try:
                chunk = response.read(_CHUNK)
            except BaseException as e:
                _raise_network(e, url, what)
            if not chunk:
                break
            done += len(chunk)
            if done > MAX_DOWNLOAD_BYTES:
                raise NetworkError(f"{what}: {url} sends more than {MAX_DOWNLOAD_BYTES} bytes; refusing it")
            sha.update(chunk)
            try:
                f.write(chunk)
            except OSError as e:
                raise PackageError(f"cannot write the download of {what}: {e.strerror or e}") from None
            if progress is not None:
                progress(done, total)
    if length and length.isdigit() and done != int(length):
        raise NetworkError(f"cannot download {what} from {url}: the connection ended after {done} of {length} bytes")
    try:
        f.flush()
        os.fsync(f.fileno())
    except OSError as e:
        raise PackageError(f"cannot write the download of {what}: {e.strerror or e}") from None
    return sha.hexdigest()


def _remove_abandoned(root: Path) -> None:
    """Delete downloads left by a killed process (their lock died with it)."""
    leftovers.remove_abandoned(root, _TEMP_PREFIX, "*.argosmodel")


# --- progress on a terminal -------------------------------------------------------


class DownloadBar:
    """``downloading translate-en_ko-1.1  [#####-----]  52%  61.2/118.0 MB`` on one
    redrawn line; the CLI uses it only when stderr is a terminal."""

    def __init__(self, label: str, stream=None, width: int = 24, every: float = 0.1):
        self.label, self.stream, self.width, self.every = label, stream or sys.stderr, width, every
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.last < self.every and done != total:
            return
        self.last = now
        mb = f"{done / 1e6:.1f}" + (f"/{total / 1e6:.1f} MB" if total else " MB")
        if total:
            filled = min(self.width, self.width * done // total)
            bar = f"[{'#' * filled}{'-' * (self.width - filled)}] {min(100, 100 * done // total):3d}%  "
        else:
            bar = ""
        self.stream.write(f"\rdownloading {self.label}  {bar}{mb}\x1b[K")
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False
