"""Merge a fresh template into an existing, partly reviewed PO file, as GNU msgmerge does.

``polib.POFile.merge()`` is not msgmerge: it has no fuzzy matching, so an edited
sentence loses its translation.  :func:`merge` reproduces what
``msgmerge --previous OLD.po NEW.pot`` (GNU gettext 0.21) decides for every entry:

* **exact match** on (msgctxt, msgid), live or obsolete old entry: the old msgstr
  (byte for byte), translator comments and fuzzy state are kept; references,
  extracted comments, msgctxt and the other flags come from the template.  An
  obsolete old entry found this way comes back to life.
* **fuzzy match**: otherwise the most similar translated old entry (live or
  obsolete, already fuzzy or not) whose similarity exceeds 0.6 lends its msgstr
  and translator comments, and the result is flagged fuzzy.
* **new**: otherwise the template entry is copied with an empty msgstr.
* every old entry used by neither kind of match becomes obsolete (``#~``), without
  its references and extracted comments; msgmerge drops the untranslated ones.

The "previous msgid" (``#|``) follows msgmerge: a result gets the old entry's
msgid when the old entry was a reviewed translation, but the old entry's *own*
previous msgid (often none) when it was fuzzy; it is removed from every result
that ends up not fuzzy or untranslated.

Similarity is gettext's ``fstrcmp``: over the UTF-8 bytes of the two msgids,
``(len(a) + len(b) - edits) / (len(a) + len(b))`` where ``edits`` is the length
of a shortest insert/delete script (Myers' diff), i.e. ``2 * LCS / (len(a) +
len(b))``.  A candidate's weight is that similarity plus 0.00001 when its
msgctxt is absent or equal to the looked-up one; the candidate must share a
character 4-gram with the new msgid (msgmerge's index; msgids under four
characters are compared with short old msgids of a compatible length instead),
must weigh more than 0.6, and ties go to the candidate sharing most 4-grams,
then to the earliest in the old file.

Speed, in pure Python: the exact LCS of one new msgid against many old msgids
is computed at once with the bit-parallel LCS recurrence (Allison-Dix/Hyyrö)
on one big integer holding the old msgids side by side, grouped by length.  A
first good candidate, found through the rarest 4-grams of the new msgid, sets
the weight to beat, and old msgids too short or too long to reach it (fstrcmp
is at most ``2 * min(len) / total``) are skipped.  None of this changes which
entry wins: the result is msgmerge's, and a 2,000-entry file with a few percent
of edits merges in about 0.1 s (a template of 2,000 sentences none of which is
in the old file takes a few seconds).

Known differences from msgmerge, none of which arises with transflow's templates:

* msgmerge marks a match fuzzy when the template adds a format flag (such as
  ``c-format``) that the translation does not satisfy; no format checks here.
* Flags msgmerge does not know are kept from the template; it drops them.
* msgmerge gives up on computing an exact diff past about 8,000 edits, which
  only happens for msgids of over 20 kB.
* The old entries are taken in the order polib writes them (live ones, then
  obsolete ones); a file with obsolete entries in the middle is read by msgmerge
  in file order, which can change a tie between equally similar candidates and
  the order of the ``#~`` entries.
* msgmerge refuses a file with the same msgid twice; here a live entry wins
  over an obsolete one, and a template with a duplicate raises InputError.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

from . import inputs
from .errors import InputError

FUZZY_THRESHOLD = 0.6
"""msgmerge's FUZZY_THRESHOLD: a fuzzy match needs a weight strictly above it."""

CONTEXT_BONUS = 0.00001
"""Added to the similarity of an old entry with no msgctxt or the same msgctxt."""

_GRAM = 4
# msgl-fsearch.c: strings of fewer than 4 characters (at most 12 bytes) are
# compared with the short old msgids whose byte length could reach the threshold.
_SHORT_MAX_BYTES = (_GRAM - 1) * 4
_LEN_RATIO = 2 / FUZZY_THRESHOLD - 1  # 2.3333333333333335, as computed in C
_SHORT_MSG_MAX = int(_SHORT_MAX_BYTES * _LEN_RATIO)  # 28

# Header fields msgmerge takes from the template rather than the old file.
_HEADER_FROM_TEMPLATE = ("Report-Msgid-Bugs-To", "POT-Creation-Date")


# --------------------------------------------------------------------------
# Similarity


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _lcs_length(a: bytes, b: bytes) -> int:
    """Length of a longest common subsequence of two byte strings (bit-parallel)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return 0
    masks: dict[int, int] = {}
    for i, byte in enumerate(a):
        masks[byte] = masks.get(byte, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for byte in b:
        m = masks.get(byte)
        if m:
            u = v & m
            v = ((v + u) | (v ^ u)) & full
    return len(a) - v.bit_count()


def fstrcmp(a: str | bytes, b: str | bytes, lower_bound: float = 0.0) -> float:
    """gettext's fuzzy string comparison: 1.0 for equal strings, 0.0 for unrelated ones.

    ``(len(a) + len(b) - edits) / (len(a) + len(b))`` over UTF-8 bytes, ``edits``
    being the number of single-byte insertions and deletions of a shortest edit
    script.  Like ``fstrcmp_bounded``, returns 0.0 early when the result is
    certainly below ``lower_bound``.
    """
    x = _utf8(a) if isinstance(a, str) else a
    y = _utf8(b) if isinstance(b, str) else b
    length = len(x) + len(y)
    if not x or not y:
        return 1.0 if length == 0 else 0.0
    if lower_bound > 0 and 2 * min(len(x), len(y)) / length < lower_bound:
        return 0.0
    result = 2 * _lcs_length(x, y) / length
    return 0.0 if result < lower_bound else result


def _length_bound(l1: int, l2: int) -> float:
    """Upper bound of fstrcmp for strings of these byte lengths: each edit changes
    the length by one, so at least |l1 - l2| edits are needed."""
    total = l1 + l2
    return 2 * min(l1, l2) / total if total else 1.0


def _grams(text: str) -> list[str]:
    return [text[i : i + _GRAM] for i in range(len(text) - _GRAM + 1)]


# bytes.translate tables turning a byte string into a string of binary digits:
# "1" where the byte is the given one (or, for _DATA_TABLE, any but NUL).
_BIT_TABLES = [bytes(0x31 if b == byte else 0x30 for b in range(256)) for byte in range(256)]
_DATA_TABLE = bytes(0x30 if b == 0 else 0x31 for b in range(256))


class _Packed:
    """Old msgids of similar byte lengths laid side by side in one big integer.

    Each msgid owns a run of whole bytes: its data bits, then at least one
    guard bit that stops carries from spilling into the next msgid.  One pass
    of the bit-parallel LCS recurrence over a new msgid then yields its LCS
    with every msgid in the run.
    """

    def __init__(self, members: list[tuple[int, bytes]]):
        self.indices = [idx for idx, _ in members]
        self.lengths = [len(data) for _, data in members]
        self.offsets = []
        self.widths = []
        # One character per bit, bit 0 first: the msgids padded with NULs (which
        # a msgid cannot contain) to whole bytes, at least one guard bit each.
        layout = []
        offset = 0
        for _, data in members:
            width = (len(data) + 1 + 7) // 8
            layout.append(data)
            layout.append(b"\0" * (width * 8 - len(data)))
            self.offsets.append(offset)
            self.widths.append(width)
            offset += width
        bits = b"".join(layout)[::-1]  # most significant bit first, for int(..., 2)
        self.masks = {
            byte: int(bits.translate(_BIT_TABLES[byte]), 2) for byte in set(bits) if byte
        }
        self.data_mask = int(bits.translate(_DATA_TABLE), 2)
        self.nbytes = offset
        self.min_len = min(self.lengths)
        self.max_len = max(self.lengths)

    def lcs_all(self, query: bytes) -> list[int]:
        masks = self.masks
        full = self.data_mask
        v = full
        for byte in query:
            m = masks.get(byte)
            if m is not None:
                u = v & m
                # u is a subset of v, so v - u == v ^ u; the carries of v + u
                # that reach a guard bit are cleared by the final mask.
                v = ((v + u) | (v ^ u)) & full
        raw = v.to_bytes(self.nbytes, "little")
        from_bytes = int.from_bytes
        return [
            n - from_bytes(raw[o : o + w], "little").bit_count()
            for n, o, w in zip(self.lengths, self.offsets, self.widths)
        ]


class _FuzzyIndex:
    """The translated old entries msgmerge may propose as fuzzy matches."""

    SEED_GRAMS = 16  # rarest 4-grams of a new msgid used to find a first good match
    SEED_ENTRIES = 3  # old entries sharing most of them, compared first
    PACK_SPAN = 1.06  # longest / shortest msgid length in one _Packed run (about)

    def __init__(self, entries: list[polib.POEntry]):
        self.entries = entries  # position in this list == position in the old file
        self.data: dict[int, bytes] = {}
        self._grams: dict[int, frozenset[str]] = {}
        # Every 4th 4-gram of each old msgid: enough to find an old msgid that
        # shares a few unchanged words with a new one, at a quarter of the cost.
        self.chunks: dict[str, list[int]] = {}
        by_length: dict[int, list[tuple[int, bytes]]] = {}
        for idx, entry in enumerate(entries):
            if not _msgstr0(entry) or _is_header(entry):
                continue
            data = _utf8(entry.msgid)
            self.data[idx] = data
            msgid = entry.msgid
            for i in range(0, len(msgid) - _GRAM + 1, _GRAM):
                self.chunks.setdefault(msgid[i : i + _GRAM], []).append(idx)
            by_length.setdefault(len(data), []).append((idx, data))
        self.packs: list[_Packed] = []
        run: list[tuple[int, bytes]] = []
        run_start = 0
        for length in sorted(by_length):
            if run and (length > run_start * self.PACK_SPAN + 1 or len(run) >= 4096):
                self.packs.append(_Packed(run))
                run = []
            if not run:
                run_start = length
            run.extend(by_length[length])
        if run:
            self.packs.append(_Packed(run))
        for pack in self.packs:
            pack.contexts = [entries[idx].msgctxt for idx in pack.indices]
            pack.any_context = any(ctxt is not None for ctxt in pack.contexts)

    def grams(self, idx: int) -> frozenset[str]:
        grams = self._grams.get(idx)
        if grams is None:
            grams = self._grams[idx] = frozenset(_grams(self.entries[idx].msgid))
        return grams

    def _bonus(self, idx: int, msgctxt) -> float:
        old_ctxt = self.entries[idx].msgctxt
        return CONTEXT_BONUS if old_ctxt is None or (msgctxt is not None and msgctxt == old_ctxt) else 0.0

    def _weight(self, idx: int, msgctxt, query: bytes) -> float:
        """msgmerge's fuzzy_search_goal_function: similarity plus the context bonus."""
        data = self.data[idx]
        total = len(query) + len(data)
        sim = 2 * _lcs_length(query, data) / total if total else 1.0
        return sim + self._bonus(idx, msgctxt)

    def _seed(self, msgctxt, msgid: str, query: bytes) -> float:
        """A weight that some candidate reaches (or the threshold): the old msgids
        sharing the rarest 4-grams of the new one are usually the best match."""
        chunks = self.chunks
        lists = sorted((chunks[g] for g in set(_grams(msgid)) if g in chunks), key=len)
        counts: dict[int, int] = {}
        for postings in lists[: self.SEED_GRAMS]:
            for idx in postings:
                counts[idx] = counts.get(idx, 0) + 1
        best = FUZZY_THRESHOLD
        n = len(query)
        for idx in sorted(counts, key=lambda i: (-counts[i], i))[: self.SEED_ENTRIES]:
            if _length_bound(n, len(self.data[idx])) + CONTEXT_BONUS > best:
                best = max(best, self._weight(idx, msgctxt, query))
        return best

    def weights(self, msgctxt, query: bytes, floor: float = FUZZY_THRESHOLD) -> list[tuple[float, int]]:
        """(weight, index) of the indexed entries weighing more than the threshold,
        among them at least all those weighing ``floor`` or more."""
        n = len(query)
        out = []
        for pack in self.packs:
            # The length bound peaks at the pack length closest to n.
            if _length_bound(n, min(max(n, pack.min_len), pack.max_len)) + CONTEXT_BONUS < floor:
                continue
            lcs_all = pack.lcs_all(query)
            if pack.any_context:
                bonuses = [
                    CONTEXT_BONUS if c is None or (msgctxt is not None and c == msgctxt) else 0.0
                    for c in pack.contexts
                ]
            else:
                bonuses = [CONTEXT_BONUS] * len(lcs_all)
            for idx, m, lcs, bonus in zip(pack.indices, pack.lengths, lcs_all, bonuses):
                total = n + m
                weight = (2 * lcs / total if total else 1.0) + bonus
                if weight > FUZZY_THRESHOLD:
                    out.append((weight, idx))
        return out

    def search(self, msgctxt, msgid: str) -> int | None:
        """Position of msgmerge's fuzzy match: message_fuzzy_index_search(..., heuristic=false)."""
        if not self.data:
            return None
        query = _utf8(msgid)
        if len(msgid) >= _GRAM:
            # The answer weighs at least as much as any candidate, so old msgids
            # too short or too long to reach the seed's weight need no LCS.
            scored = self.weights(msgctxt, query, self._seed(msgctxt, msgid, query))
            # Candidates share a 4-gram; msgmerge visits them by decreasing
            # count of shared 4-gram occurrences, then by file position, and
            # keeps the first one with the highest weight.
            query_grams = _grams(msgid)
            scored.sort(key=lambda wi: -wi[0])
            i = 0
            while i < len(scored):
                level = scored[i][0]
                tied = []
                while i < len(scored) and scored[i][0] == level:
                    idx = scored[i][1]
                    own = self.grams(idx)
                    count = sum(1 for g in query_grams if g in own)
                    if count:
                        tied.append((-count, idx))
                    i += 1
                if tied:
                    return min(tied)[1]
            return None
        # Short msgid: compared with short old msgids in order of length, then position.
        n = len(query)
        lmin = math.ceil(n / _LEN_RATIO)
        lmax = int(n * _LEN_RATIO)
        best = None
        for weight, idx in self.weights(msgctxt, query):
            m = len(self.data[idx])
            if not (lmin <= m <= lmax and m <= _SHORT_MSG_MAX):
                continue
            key = (-weight, m, idx)
            if best is None or key < best:
                best = key
        return best[2] if best else None


# --------------------------------------------------------------------------
# Merging


@dataclass
class MergeResult:
    """The merged catalog and what happened to each msgid (template order, then old order)."""

    po: polib.POFile
    kept: list[str] = field(default_factory=list)
    """Template msgids found exactly in the old file: msgstr, flags and translator comments kept."""
    fuzzy_matched: list[str] = field(default_factory=list)
    """Template msgids given a similar old entry's msgstr, flagged fuzzy."""
    new: list[str] = field(default_factory=list)
    """Template msgids with no match: empty msgstr, for the caller to draft."""
    obsoleted: list[str] = field(default_factory=list)
    """Live old msgids no longer in the template and not used as a fuzzy match: now ``#~``."""
    still_obsolete: list[str] = field(default_factory=list)
    """Already obsolete old msgids that stay obsolete."""
    resurrected: list[str] = field(default_factory=list)
    """Template msgids whose match (exact or fuzzy) was an obsolete old entry."""
    dropped: list[str] = field(default_factory=list)
    """Untranslated old msgids used by no match: msgmerge leaves them out of its output."""
    sources: dict[str, str] = field(default_factory=dict)
    """For each fuzzy-matched msgid, the old msgid whose translation it got."""

    @property
    def untranslated(self) -> list[str]:
        return [e.msgid for e in self.po if not e.obsolete and not _msgstr0(e)]


def _is_header(entry: polib.POEntry) -> bool:
    return entry.msgid == "" and entry.msgctxt is None


def _msgstr0(entry: polib.POEntry) -> str:
    """The first msgstr (what msgmerge tests to tell translated from untranslated)."""
    if entry.msgid_plural and entry.msgstr_plural:
        return entry.msgstr_plural.get(0, entry.msgstr_plural.get("0", "")) or ""
    return entry.msgstr or ""


def _nplurals(metadata: dict) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2


def _merge_entry(old: polib.POEntry, ref: polib.POEntry, force_fuzzy: bool, nplurals: int) -> polib.POEntry:
    """msgmerge.c message_merge(): one template entry filled from one old entry."""
    fuzzy = old.fuzzy or force_fuzzy
    if old.fuzzy:
        prev = (old.previous_msgctxt, old.previous_msgid, old.previous_msgid_plural)
    else:
        prev = (old.msgctxt, old.msgid, old.msgid_plural or None)
    if not fuzzy and (ref.msgid_plural or None) != (old.msgid_plural or None):
        fuzzy = True
    msgstr = old.msgstr
    msgstr_plural = dict(old.msgstr_plural)
    if ref.msgid_plural and not old.msgid_plural:
        # The template grew a plural: every form gets the old translation.
        msgstr_plural = {i: old.msgstr for i in range(nplurals)}
        msgstr = ""
        fuzzy = True
    elif not ref.msgid_plural and old.msgid_plural:
        msgstr = _msgstr0(old)
        if len(msgstr_plural) > 1:
            fuzzy = True
        msgstr_plural = {}
    flags = [f for f in ref.flags if f != "fuzzy"]
    if fuzzy:
        flags.insert(0, "fuzzy")
    entry = polib.POEntry(
        msgid=ref.msgid,
        msgctxt=ref.msgctxt,
        msgid_plural=ref.msgid_plural,
        msgstr=msgstr,
        msgstr_plural=msgstr_plural,
        occurrences=list(ref.occurrences),
        comment=ref.comment,
        tcomment=old.tcomment,
        flags=flags,
    )
    if fuzzy and _msgstr0(entry):
        entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = prev
    return entry


def _new_entry(ref: polib.POEntry, nplurals: int) -> polib.POEntry:
    msgstr_plural = dict(ref.msgstr_plural)
    if ref.msgid_plural and not any(msgstr_plural.values()):
        msgstr_plural = {i: "" for i in range(nplurals)}
    entry = polib.POEntry(
        msgid=ref.msgid,
        msgctxt=ref.msgctxt,
        msgid_plural=ref.msgid_plural,
        msgstr=ref.msgstr,
        msgstr_plural=msgstr_plural,
        occurrences=list(ref.occurrences),
        comment=ref.comment,
        tcomment=ref.tcomment,
        flags=list(ref.flags),
    )
    if entry.fuzzy and _msgstr0(entry):
        entry.previous_msgctxt = ref.previous_msgctxt
        entry.previous_msgid = ref.previous_msgid
        entry.previous_msgid_plural = ref.previous_msgid_plural
    return entry


def _obsolete_entry(old: polib.POEntry) -> polib.POEntry:
    """An unused old entry as msgmerge keeps it: ``#~``, without references and ``#.``."""
    return polib.POEntry(
        msgid=old.msgid,
        msgctxt=old.msgctxt,
        msgid_plural=old.msgid_plural,
        msgstr=old.msgstr,
        msgstr_plural=dict(old.msgstr_plural),
        tcomment=old.tcomment,
        flags=list(old.flags),
        previous_msgctxt=old.previous_msgctxt,
        previous_msgid=old.previous_msgid,
        previous_msgid_plural=old.previous_msgid_plural,
        obsolete=True,
    )


def _merge_metadata(old: polib.POFile, template: polib.POFile) -> dict:
    """The old header, with the template's POT-Creation-Date and Report-Msgid-Bugs-To."""
    meta = dict(old.metadata)
    lowered = {key.lower(): key for key in meta}
    for name in _HEADER_FROM_TEMPLATE:
        for key, value in template.metadata.items():
            if key.lower() == name.lower():
                meta.pop(lowered.get(name.lower(), name), None)
                meta[name] = value
                break
    present = {key.lower() for key in meta}
    if "language" not in present and "language-team" in present:
        # msgmerge adds the field introduced in gettext 0.18 when there is a
        # Language-Team to guess it from (a guess that never matches in 0.21:
        # it compares the team's name with its trailing newline, so the value
        # is always empty).
        meta["Language"] = ""
    return meta


def merge(old: polib.POFile, template: polib.POFile) -> MergeResult:
    """Merge ``template`` (fresh POT, empty msgstrs) into ``old`` like ``msgmerge --previous``.

    Neither argument is modified.  See the module docstring for the rules.
    """
    # The order msgmerge would read them in from the file polib writes: live
    # entries, then obsolete ones (it matters for ties and for the #~ order).
    old_entries = [e for e in old if not e.obsolete] + [e for e in old if e.obsolete]
    exact: dict[tuple, int] = {}
    for idx, entry in enumerate(old_entries):
        key = (entry.msgctxt, entry.msgid)
        # msgmerge refuses duplicates; prefer a live entry over an obsolete one.
        if key not in exact or (old_entries[exact[key]].obsolete and not entry.obsolete):
            exact[key] = idx
    index: _FuzzyIndex | None = None
    nplurals = _nplurals(old.metadata)

    po = polib.POFile(wrapwidth=old.wrapwidth, encoding=old.encoding, check_for_duplicates=False)
    po.header = old.header
    po.metadata = _merge_metadata(old, template)
    po.metadata_is_fuzzy = old.metadata_is_fuzzy if old.metadata else 0
    result = MergeResult(po=po)
    used: set[int] = set()
    seen: set[tuple] = set()

    for ref in template:
        if ref.obsolete or _is_header(ref):
            continue
        key = (ref.msgctxt, ref.msgid)
        if key in seen:
            raise InputError(f"the template has the same sentence twice: {ref.msgid!r}")
        seen.add(key)
        idx = exact.get(key)
        if idx is not None:
            source = old_entries[idx]
            po.append(_merge_entry(source, ref, False, nplurals))
            result.kept.append(ref.msgid)
            used.add(idx)
            if source.obsolete:
                result.resurrected.append(ref.msgid)
            continue
        if index is None:
            index = _FuzzyIndex(old_entries)
        idx = index.search(ref.msgctxt, ref.msgid)
        if idx is not None:
            source = old_entries[idx]
            po.append(_merge_entry(source, ref, True, nplurals))
            result.fuzzy_matched.append(ref.msgid)
            result.sources[ref.msgid] = source.msgid
            used.add(idx)
            if source.obsolete:
                result.resurrected.append(ref.msgid)
        else:
            po.append(_new_entry(ref, nplurals))
            result.new.append(ref.msgid)

    for idx, entry in enumerate(old_entries):
        if idx in used or _is_header(entry):
            continue
        if not _msgstr0(entry):
            result.dropped.append(entry.msgid)
            continue
        po.append(_obsolete_entry(entry))
        (result.still_obsolete if entry.obsolete else result.obsoleted).append(entry.msgid)
    return result


def merge_files(old_path: str | Path, template_path: str | Path) -> MergeResult:
    """Read both files with :func:`read_po` and :func:`merge` them (nothing is written)."""
    return merge(read_po(old_path, "PO file"), read_po(template_path, "template"))


def read_po(path: str | Path, what: str = "PO file") -> polib.POFile:
    """``polib.pofile`` plus the ``#~|`` previous msgids of obsolete entries,
    which polib skips but msgmerge keeps and restores when an entry comes back."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{what} {path} does not exist")
    inputs.check_regular(path, f"a {what}")  # polib would block on a FIFO
    try:
        po = polib.pofile(str(path), wrapwidth=79)
        text = path.read_text(encoding=po.encoding or "utf-8")
    except (OSError, UnicodeDecodeError, LookupError, ValueError) as exc:
        raise InputError(f"cannot read {what} {path}: {exc}") from exc
    previous = _obsolete_previous(text)
    if previous:
        for entry in po:
            found = previous.get((entry.msgctxt, entry.msgid)) if entry.obsolete else None
            if found and entry.previous_msgid is None:
                entry.previous_msgctxt = found.get("msgctxt")
                entry.previous_msgid = found.get("msgid")
                entry.previous_msgid_plural = found.get("msgid_plural")
    return po


_OBSOLETE_LINE = re.compile(r'^#~(\|?)\s*(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)?\s*"(.*)"\s*$')


def _obsolete_previous(text: str) -> dict[tuple, dict[str, str]]:
    """(msgctxt, msgid) of each obsolete entry with ``#~|`` lines -> its previous fields."""
    found: dict[tuple, dict[str, str]] = {}
    prev: dict[str, str] = {}
    cur: dict[str, str] = {}
    field = None
    for line in text.splitlines():
        match = _OBSOLETE_LINE.match(line.strip())
        if not match:
            if not line.startswith("#~"):
                prev, cur, field = {}, {}, None
            continue
        is_prev, keyword, value = match.group(1), match.group(2), polib.unescape(match.group(3))
        target = prev if is_prev else cur
        if keyword:
            field = (is_prev, keyword)
            if keyword.startswith("msgstr"):
                if prev and "msgid" in cur:
                    found[(cur.get("msgctxt"), cur["msgid"])] = prev
                prev, cur = {}, {}
                continue
            target[keyword] = value
        elif field and field[0] == is_prev and not field[1].startswith("msgstr"):
            target[field[1]] += value
    return found
