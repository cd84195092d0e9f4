"""The corpus catalogue: which documents scdocs knows, where their exact bytes come from, and
the texts a user has fetched or added.

The catalogue is metadata only (one TOML file per document, see ``corpus/README.md``); texts
are never shipped with scdocs. `fetch` copies a text from an offline mirror or downloads it
from its pinned URL, and refuses it unless its sha256 matches the catalogue, so every user
parses exactly the bytes the catalogue describes. A user's own documents (`add`) get entries
of the same format in their data directory.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import importlib.util
import os
import re
import tomllib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scdocs.document.model import Document
from scdocs.errors import CatalogueError, ScdocsError, did_you_mean
from scdocs.fileio import write_atomic

FORMAT_VERSION = 1
#: What each entry must state, in the order entries are written.
REQUIRED_KEYS = ("format_version", "id", "title_zh", "title_en", "issuers", "date", "doc_number",
                 "kind", "status")
LINEAGE_KEYS = ("work", "version_of", "replaces", "replaced_by")  # always written; first_enacted when known
SOURCE_REQUIRED_KEYS = ("url", "file", "sha256", "format", "bytes")
KINDS = ("law", "administrative-regulation", "local-regulation", "judicial-interpretation",
         "department-rule", "opinions", "plan", "normative-document", "other")
STATUSES = ("draft", "in-force", "amended", "repealed", "expired", "unknown")
#: Where a fetched text is stored: its format decides the extension, which the readers use.
EXTENSIONS = {"markdown": ".md", "text": ".txt", "html": ".html", "json": ".json", "docx": ".docx",
              "akn": ".xml"}
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
URL_PATTERN = re.compile(r"^https?://", re.I)
#: Metadata `add` accepts as keyword arguments.
ADD_FIELDS = ("title_zh", "title_en", "issuers", "date", "doc_number", "kind", "status", "official_url",
              "note", "work", "version_of", "replaces", "first_enacted")


@dataclass(frozen=True)
class Lineage:
    """How an entry relates to other versions of the same work (ids, or "" for none).

    `first_enacted` dates the work where its earliest catalogued version is a later revision
    (the company law of 1993, catalogued from its 2018 text): the work's FRBR URI carries it.
    """

    work: str
    version_of: str = ""
    replaces: str = ""
    replaced_by: str = ""
    first_enacted: str = ""


@dataclass(frozen=True)
class Source:
    """Where the exact bytes of an entry come from, and how to recognise them."""

    url: str
    file: str
    sha256: str
    format: str
    bytes: int
    note: str = ""


@dataclass
class Entry:
    """One catalogue entry: a document's metadata, lineage and (optionally) its pinned source."""

    id: str
    title_zh: str
    title_en: str
    issuers: list[str]
    date: str
    doc_number: str
    kind: str
    status: str
    lineage: Lineage
    official_url: str = ""
    note: str = ""
    source: Source | None = None
    origin: Path | None = field(default=None, compare=False)  # the TOML file it was read from
    user: bool = False  # added by the user (lives in the data dir), not shipped

    @property
    def extension(self) -> str:
        """The file extension its fetched text is stored under."""
        return EXTENSIONS.get(self.source.format, ".txt") if self.source else ".txt"

    def to_dict(self) -> dict[str, Any]:
        """The entry as its TOML file holds it (format_version 1)."""
        data: dict[str, Any] = {
            "format_version": FORMAT_VERSION,
            "id": self.id,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "issuers": list(self.issuers),
            "date": self.date,
            "doc_number": self.doc_number,
            "kind": self.kind,
            "status": self.status,
            "official_url": self.official_url,
        }
        if self.note:
            data["note"] = self.note
        data["lineage"] = {k: getattr(self.lineage, k) for k in LINEAGE_KEYS}
        if self.lineage.first_enacted:
            data["lineage"]["first_enacted"] = self.lineage.first_enacted
        if self.source:
            src: dict[str, Any] = {k: getattr(self.source, k) for k in SOURCE_REQUIRED_KEYS}
            if self.source.note:
                src["note"] = self.source.note
            data["source"] = src
        return data


# --------------------------------------------------------------------------------------------
# Reading and checking entries


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _str(table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    if key not in table:
        if required:
            raise CatalogueError(f"{where}: missing required key '{key}'")
        return ""
    value = table[key]
    if isinstance(value, _dt.date):  # an unquoted TOML date
        value = value.isoformat()
    if not isinstance(value, str):
        raise CatalogueError(f"{where}: key '{key}' must be a string, not {type(value).__name__}")
    return value.strip()


def _is_iso_date(value: str) -> bool:
    """YYYY-MM-DD (a real day), YYYY-MM or YYYY: how the catalogue writes dates known to any precision."""
    if not DATE_PATTERN.match(value):
        return False
    try:
        _dt.date.fromisoformat(value if len(value) == 10 else (value + "-01-01")[:10])
    except ValueError:
        return False
    return True


def _later(a: str, b: str) -> bool:
    """Whether ISO date `a` is later than `b`, compared to the precision both have (2017 is not later
    than 2017-09-28)."""
    n = min(len(a), len(b))
    return a[:n] > b[:n]


def parse_entry(data: dict[str, Any], origin: Path, user: bool = False) -> Entry:
    """Check one parsed TOML table and build its Entry; every problem names the file and key."""
    where = str(origin)
    for key in REQUIRED_KEYS:
        if key not in data:
            raise CatalogueError(f"{where}: missing required key '{key}'")
    if data["format_version"] != FORMAT_VERSION:
        raise CatalogueError(f"{where}: key 'format_version' is {data['format_version']!r}; "
                             f"this scdocs reads format_version = {FORMAT_VERSION}")
    entry_id = _str(data, "id", where)
    if not ID_PATTERN.match(entry_id):
        raise CatalogueError(f"{where}: key 'id' {entry_id!r} must be lowercase letters, digits and hyphens")
    if origin.suffix == ".toml" and origin.stem != entry_id:
        raise CatalogueError(f"{where}: key 'id' is {entry_id!r} but the file is named {origin.name}")
    issuers = data["issuers"]
    if not isinstance(issuers, list) or not all(isinstance(i, str) for i in issuers):
        raise CatalogueError(f"{where}: key 'issuers' must be a list of strings")
    date = _str(data, "date", where)
    if date and not _is_iso_date(date):
        raise CatalogueError(f"{where}: key 'date' {date!r} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)")
    kind = _str(data, "kind", where)
    if kind not in KINDS:
        raise CatalogueError(f"{where}: key 'kind' {kind!r} is not one of {', '.join(KINDS)}")
    status = _str(data, "status", where)
    if status not in STATUSES:
        raise CatalogueError(f"{where}: key 'status' {status!r} is not one of {', '.join(STATUSES)}")

    lin = data.get("lineage", {})
    if not isinstance(lin, dict):
        raise CatalogueError(f"{where}: key 'lineage' must be a table")
    lwhere = f"{where}: [lineage]"
    first_enacted = _str(lin, "first_enacted", lwhere, required=False)
    if first_enacted and not _is_iso_date(first_enacted):
        raise CatalogueError(f"{lwhere} key 'first_enacted' {first_enacted!r} is not an ISO date "
                             "(YYYY-MM-DD, YYYY-MM or YYYY)")
    if first_enacted and date and _later(first_enacted, date):
        raise CatalogueError(f"{lwhere} key 'first_enacted' {first_enacted!r} is later than this version's "
                             f"date {date!r}")
    lineage = Lineage(work=_str(lin, "work", lwhere, required=False) or entry_id,
                      version_of=_str(lin, "version_of", lwhere, required=False),
                      replaces=_str(lin, "replaces", lwhere, required=False),
                      replaced_by=_str(lin, "replaced_by", lwhere, required=False),
                      first_enacted=first_enacted)

    source = None
    if "source" in data:
        src = data["source"]
        swhere = f"{where}: [source]"
        if not isinstance(src, dict):
            raise CatalogueError(f"{where}: key 'source' must be a table")
        for key in SOURCE_REQUIRED_KEYS:
            if key not in src:
                raise CatalogueError(f"{swhere} missing required key '{key}'")
        sha = _str(src, "sha256", swhere).lower()
        if not SHA256_PATTERN.match(sha):
            raise CatalogueError(f"{swhere} key 'sha256' must be 64 hex digits")
        fmt = _str(src, "format", swhere)
        if fmt not in EXTENSIONS:
            raise CatalogueError(f"{swhere} key 'format' {fmt!r} is not one of {', '.join(EXTENSIONS)}")
        size = src["bytes"]
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise CatalogueError(f"{swhere} key 'bytes' must be a positive integer")
        file_name = _str(src, "file", swhere)
        if not file_name or Path(file_name).name != file_name:
            raise CatalogueError(f"{swhere} key 'file' must be a bare file name, not {file_name!r}")
        source = Source(url=_str(src, "url", swhere), file=file_name, sha256=sha, format=fmt, bytes=size,
                        note=_one_line(_str(src, "note", swhere, required=False)))

    return Entry(id=entry_id, title_zh=_str(data, "title_zh", where), title_en=_str(data, "title_en", where),
                 issuers=[i.strip() for i in issuers if i.strip()], date=date,
                 doc_number=_str(data, "doc_number", where), kind=kind, status=status, lineage=lineage,
                 official_url=_str(data, "official_url", where, required=False),
                 note=_one_line(_str(data, "note", where, required=False)),
                 source=source, origin=origin, user=user)


def read_entry(path: Path, user: bool = False) -> Entry:
    """Read one catalogue TOML file, with a one-line error naming it if it is unreadable or malformed."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CatalogueError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise CatalogueError(f"{path}: malformed TOML: not UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"{path}: malformed TOML: {_one_line(str(exc))}") from None
    return parse_entry(data, path, user=user)


# --------------------------------------------------------------------------------------------
# Where things live


def data_dir() -> Path:
    """The user's data directory: env SCDOCS_DATA_DIR, else the platform's user data dir."""
    env = os.environ.get("SCDOCS_DATA_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("scdocs"))


def texts_dir(data: Path | None = None) -> Path:
    """Where fetched corpus texts are stored, under the data directory `data` (default `data_dir()`)."""
    return (data_dir() if data is None else data) / "texts"


def catalogue_dir() -> Path | None:
    """The shipped catalogue: env SCDOCS_CATALOGUE, else the package data ``scdocs.catalogue``
    (the repository's ``corpus/`` folder, installed inside the package).

    Returns None when the installation has no catalogue (then only the user's own entries are known).
    """
    env = os.environ.get("SCDOCS_CATALOGUE")
    if env:
        path = Path(env).expanduser()
        if not path.is_dir():
            raise CatalogueError(f"{path}: SCDOCS_CATALOGUE is not a folder")
        return path
    spec = importlib.util.find_spec("scdocs.catalogue")
    folders = list(spec.submodule_search_locations or []) if spec else []
    return Path(folders[0]) if folders and Path(folders[0]).is_dir() else None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _slug(text: str) -> str:
    """An id from a file name or URL: a URI slug, at most 80 characters."""
    from scdocs.formats.frbr import slug

    return slug(text)[:80].strip("-")


# --------------------------------------------------------------------------------------------
# Fetching


def _no_source(entry: Entry) -> str:
    return f"no source to fetch (official page: {entry.official_url or 'unknown'})"


@dataclass
class FetchReport:
    """What `Catalogue.fetch` did, per id, so a caller can summarise or fail as it sees fit."""

    fetched: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (id, one-line message)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # entries without a source, not asked for

    @property
    def ok(self) -> bool:
        return not self.failed


def _check_first_enacted(entries: Collection[Entry]) -> None:
    """Versions of one work that state `first_enacted` must agree, and none may be dated before it."""
    stated: dict[str, Entry] = {}
    for e in entries:
        if not e.lineage.first_enacted:
            continue
        other = stated.setdefault(e.lineage.work, e)
        if other.lineage.first_enacted != e.lineage.first_enacted:
            raise CatalogueError(f"{e.origin}: [lineage] key 'first_enacted' {e.lineage.first_enacted!r} disagrees "
                                 f"with {other.lineage.first_enacted!r} in {other.origin} (both of work "
                                 f"{e.lineage.work!r})")
    for e in entries:
        first = stated.get(e.lineage.work)
        if first and e.date and _later(first.lineage.first_enacted, e.date):
            raise CatalogueError(f"{e.origin}: key 'date' {e.date!r} is before its work's first enactment "
                                 f"{first.lineage.first_enacted!r} (stated in {first.origin})")


class Catalogue:
    """All known entries: the shipped catalogue plus the user's own, and the user's texts."""

    def __init__(self, entries: dict[str, Entry], data: Path) -> None:
        self._entries = entries
        self.data_dir = data

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def default(cls) -> Catalogue:
        """The shipped catalogue (or SCDOCS_CATALOGUE) plus ``<data dir>/catalogue/*.toml``."""
        return cls.from_dirs(catalogue_dir(), data_dir())

    @classmethod
    def from_dirs(cls, shipped: Path | None, data: Path) -> Catalogue:
        """Read every entry; a duplicate id across files is an error naming both files."""
        entries: dict[str, Entry] = {}
        sources = [(shipped, False), (data / "catalogue", True)]
        for folder, user in sources:
            if folder is None or not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.toml")):
                entry = read_entry(path, user=user)
                if entry.id in entries:
                    raise CatalogueError(f"{path}: id {entry.id!r} is already defined in "
                                         f"{entries[entry.id].origin}")
                entries[entry.id] = entry
        _check_first_enacted(entries.values())
        return cls(entries, data)

    # -- looking things up -----------------------------------------------------------------

    def ids(self) -> list[str]:
        """Every id, sorted."""
        return sorted(self._entries)

    def entries(self) -> list[Entry]:
        return [self._entries[i] for i in self.ids()]

    def has(self, entry_id: str) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> Entry:
        """The entry for an id, or a CatalogueError that says how to list the ids."""
        try:
            return self._entries[entry_id]
        except KeyError:
            raise CatalogueError(f"{entry_id}: no such corpus id{did_you_mean(entry_id, self._entries)} "
                                 "(see `scdocs corpus list`)") from None

    def versions(self, work: str) -> list[Entry]:
        """Every entry of one work, oldest first (so lineage can be shown without trusting links)."""
        same = (e for e in self._entries.values() if e.lineage.work == work)
        return sorted(same, key=lambda e: (e.date, e.id))

    def work_date(self, work: str) -> str:
        """The date a work's FRBR URI carries: its first enactment where the catalogue states it, else
        the date of its earliest catalogued version ("" if no version is dated)."""
        versions = self.versions(work)
        stated = next((e.lineage.first_enacted for e in versions if e.lineage.first_enacted), "")
        return stated or next((e.date for e in versions if e.date), "")

    def texts_dir(self) -> Path:
        return texts_dir(self.data_dir)

    def user_catalogue_dir(self) -> Path:
        return self.data_dir / "catalogue"

    def path(self, entry_id: str) -> Path:
        """Where the fetched text of an entry is (or would be) stored."""
        entry = self.get(entry_id)
        return self.texts_dir() / f"{entry.id}{entry.extension}"

    def is_fetched(self, entry_id: str) -> bool:
        return self.path(entry_id).is_file()

    def fetched_ids(self, kind: str | None = None) -> list[str]:
        """Ids whose text is in the data directory (of one kind, if given), sorted."""
        return [i for i in self.ids() if (kind is None or self._entries[i].kind == kind) and self.is_fetched(i)]

    # -- loading -----------------------------------------------------------------------------

    def load(self, entry_id: str) -> Document:
        """Parse a fetched text and give it the catalogue's metadata, which is more reliable
        than what a reader can guess from the text."""
        entry = self.get(entry_id)
        path = self.path(entry_id)
        if not path.is_file():
            if entry.source is None:
                raise CatalogueError(f"{entry_id}: no text is available: the catalogue has no source for it "
                                     f"(official page: {entry.official_url or 'unknown'})")
            raise CatalogueError(f"{entry_id}: not fetched yet; run `scdocs corpus fetch {entry_id}` "
                                 "(or --from DIR for an offline mirror)")
        from scdocs.readers import read_bytes

        data = self.stored_bytes(entry_id)
        doc = read_bytes(data, str(path))
        meta = doc.meta
        # The pinned source it was fetched from (the stored copy's bytes were checked against it above),
        # not the copy's path in this user's data folder: outputs name the same source on every machine.
        meta.source = entry.source.url if entry.source else meta.source
        meta.title = entry.title_zh or meta.title
        meta.issuer = "、".join(entry.issuers) or meta.issuer
        meta.date = entry.date or meta.date
        meta.doc_number = entry.doc_number or meta.doc_number
        meta.kind = entry.kind or meta.kind
        # The work and its date name the document in Akoma Ntoso (scdocs.formats.frbr): one work
        # URI shared by every version, dated by the work's first enactment.
        meta.extra.update({"id": entry.id, "status": entry.status, "title_en": entry.title_en,
                           "official_url": entry.official_url, "work": entry.lineage.work,
                           "work_date": self.work_date(entry.lineage.work) or meta.date})
        return doc

    # -- fetching ----------------------------------------------------------------------------

    def stored_bytes(self, entry_id: str) -> bytes:
        """The fetched text's bytes, refused where they no longer match the catalogue's sha256 (edited
        or damaged since fetching): every reader of the stored texts (load, index, batch) goes through here."""
        from scdocs.readers import read_file_bytes

        entry, path = self.get(entry_id), self.path(entry_id)
        data = read_file_bytes(path)
        if entry.source and sha256_of(data) != entry.source.sha256:
            raise CatalogueError(f"{entry_id}: the stored text at {path} no longer matches the catalogue's sha256 "
                                 f"(edited or damaged); run `scdocs corpus fetch {entry_id}` to restore it")
        return data

    def _stored_ok(self, entry: Entry) -> bool:
        """Whether the stored text is there and matches the catalogue (`stored_bytes` reads it)."""
        if entry.source is None or not self.path(entry.id).is_file():
            return False
        try:
            self.stored_bytes(entry.id)
        except ScdocsError:
            return False
        return True

    def fetch_one(self, entry_id: str, from_dir: str | os.PathLike[str] | None = None) -> bool:
        """Fetch one entry's text: True if it was stored now, False if a good copy was already there.

        Raises CatalogueError (nothing stored) if the entry has no source, the mirror lacks
        the file, the download fails, or the bytes do not match the catalogue's sha256.
        """
        entry = self.get(entry_id)
        src = entry.source
        if src is None:
            raise CatalogueError(f"{entry_id}: {_no_source(entry)}")
        if self._stored_ok(entry):
            return False
        if from_dir is not None:
            origin = Path(from_dir) / src.file
            try:
                data = origin.read_bytes()
            except FileNotFoundError:
                raise CatalogueError(f"{entry_id}: {src.file} is not in {from_dir}") from None
            except OSError as exc:
                raise CatalogueError(f"{entry_id}: cannot read {origin} ({exc.strerror or exc})") from None
            where = str(origin)
        else:
            if not src.url:
                raise CatalogueError(f"{entry_id}: the catalogue has no URL to download it from; "
                                     "use --from DIR")
            try:
                from scdocs.readers.url import fetch_bytes
            except ImportError:
                raise CatalogueError(f"{entry_id}: downloading is not available in this scdocs; "
                                     "use --from DIR with an offline mirror") from None
            try:
                data, _ctype, _charset = fetch_bytes(src.url, max_bytes=max(src.bytes * 2, 1 << 20))
            except ScdocsError as exc:
                raise CatalogueError(f"{entry_id}: download failed: {_one_line(str(exc))}") from None
            where = src.url
        actual = sha256_of(data)
        if actual != src.sha256:
            hint = ""
            if src.note and from_dir is None:
                hint = (f"; its source note says the pinned URL may not give these bytes "
                        f"(see `scdocs corpus show {entry_id}`)")
            raise CatalogueError(f"{entry_id}: sha256 mismatch for {where}: expected {src.sha256}, "
                                 f"got {actual} ({len(data):,} bytes, catalogue says {src.bytes:,}); "
                                 f"nothing stored{hint}")
        self.texts_dir().mkdir(parents=True, exist_ok=True)
        write_atomic(self.path(entry_id), data)
        return True

    def fetch(self, ids: Iterable[str] | None = None, from_dir: str | os.PathLike[str] | None = None,
              progress: Callable[[str], None] | None = None, raise_errors: bool = True) -> FetchReport:
        """Fetch the named entries, or every entry with a source when `ids` is empty.

        Entries without a source fail when named and are skipped (with a note) otherwise. With
        `raise_errors` the first failure is raised as a CatalogueError after all were tried;
        without it the caller reads the report.
        """
        wanted = list(dict.fromkeys(ids or []))
        for entry_id in wanted:
            self.get(entry_id)  # an unknown id is a typo: stop before doing anything
        if from_dir is not None and not Path(from_dir).is_dir():
            raise CatalogueError(f"{from_dir}: not a folder (--from takes the folder of an offline mirror)")
        report = FetchReport()
        explicit = bool(wanted)
        for entry_id in wanted or self.ids():
            entry = self._entries[entry_id]
            if entry.source is None and not explicit:
                report.skipped.append((entry_id, _no_source(entry)))
            else:
                try:
                    stored = self.fetch_one(entry_id, from_dir)
                    (report.fetched if stored else report.present).append(entry_id)
                except ScdocsError as exc:
                    report.failed.append((entry_id, str(exc)))
            if progress:
                progress(entry_id)
        if raise_errors and report.failed:
            more = f" (and {len(report.failed) - 1} more failures)" if len(report.failed) > 1 else ""
            raise CatalogueError(report.failed[0][1] + more)
        return report

    # -- a user's own documents ----------------------------------------------------------------

    def add(self, path_or_url: str | os.PathLike[str], id: str | None = None, **metadata: Any) -> Entry:
        """Add a user's own document: parse it (refusing what cannot be read), store its text and
        write an entry for it in ``<data dir>/catalogue/``. An existing id is refused."""
        unknown = sorted(set(metadata) - set(ADD_FIELDS))
        if unknown:
            raise TypeError(f"add() got unexpected metadata: {', '.join(unknown)}")
        from scdocs.readers import read_bytes, read_file_bytes, sniff

        ref = os.fspath(path_or_url)
        if URL_PATTERN.match(ref):
            from scdocs.readers.common import decode
            from scdocs.readers.url import choose_format, fetch

            fetched = fetch(ref)
            fmt = choose_format(fetched)
            data, name, url = fetched.body, fetched.name or "document", ref
            doc = read_bytes(data, ref, fetched.charset, fmt)
            if fetched.charset and fmt in ("html", "text", "markdown", "json"):
                data = decode(data, ref, fetched.charset).encode("utf-8")  # stored as UTF-8: the header is gone
        else:
            data = read_file_bytes(ref)  # one-line errors for missing, unreadable, oversized paths
            name = Path(ref).name
            url = ""
            fmt = sniff(data, name)
            doc = read_bytes(data, ref, fmt=fmt)
        if fmt not in EXTENSIONS:
            raise CatalogueError(f"{ref}: cannot store a {fmt} document in the corpus")

        entry_id = (id or "").strip() or _slug(Path(name).stem) or f"doc-{sha256_of(data)[:10]}"
        if not ID_PATTERN.match(entry_id):
            raise CatalogueError(f"{entry_id!r}: an id must be lowercase letters, digits and hyphens "
                                 "(at most 80 characters)")
        for key in ("version_of", "replaces"):
            ref_id = str(metadata.get(key) or "")
            if ref_id and not self.has(ref_id):
                raise CatalogueError(f"{entry_id}: {key} names {ref_id!r}, which is not in the catalogue")
        kind = str(metadata.get("kind") or doc.meta.kind or "other")
        if kind not in KINDS:
            raise CatalogueError(f"{entry_id}: kind {kind!r} is not one of {', '.join(KINDS)}")
        status = str(metadata.get("status") or "unknown")
        if status not in STATUSES:
            raise CatalogueError(f"{entry_id}: status {status!r} is not one of {', '.join(STATUSES)}")
        date = str(metadata.get("date") or doc.meta.date or "")
        if date and not _is_iso_date(date):
            raise CatalogueError(f"{entry_id}: date {date!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        first_enacted = str(metadata.get("first_enacted") or "")
        if first_enacted and not _is_iso_date(first_enacted):
            raise CatalogueError(f"{entry_id}: first_enacted {first_enacted!r} is not an ISO date (YYYY-MM-DD)")
        issuers = metadata.get("issuers")
        if isinstance(issuers, str):
            issuers = [issuers]
        if not issuers:
            issuers = [doc.meta.issuer] if doc.meta.issuer else []
        base = str(metadata.get("version_of") or metadata.get("replaces") or "")
        work = str(metadata.get("work") or (self.get(base).lineage.work if base else entry_id))
        toml_path = self.user_catalogue_dir() / f"{entry_id}.toml"

        entry = Entry(
            id=entry_id,
            title_zh=str(metadata.get("title_zh") or doc.meta.title or Path(name).stem),
            title_en=str(metadata.get("title_en") or ""),
            issuers=[str(i) for i in issuers],
            date=date,
            doc_number=str(metadata.get("doc_number") or doc.meta.doc_number or ""),
            kind=kind,
            status=status,
            lineage=Lineage(work=work, version_of=str(metadata.get("version_of") or ""),
                            replaces=str(metadata.get("replaces") or ""), first_enacted=first_enacted),
            official_url=str(metadata.get("official_url") or ""),
            note=_one_line(str(metadata.get("note") or "")),
            source=Source(url=url, file=name, sha256=sha256_of(data), format=fmt, bytes=len(data),
                          note="added by the user" + ("" if url else " from a local file")),
            origin=toml_path,
            user=True,
        )
        _check_first_enacted([*self._entries.values(), entry])
        import tomli_w
        from filelock import FileLock

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.texts_dir().mkdir(parents=True, exist_ok=True)
        self.user_catalogue_dir().mkdir(parents=True, exist_ok=True)
        with FileLock(str(self.data_dir / ".catalogue.lock"), timeout=30):
            # Re-read under the lock: another process may have added the same id meanwhile.
            current = Catalogue.from_dirs(catalogue_dir(), self.data_dir)
            if current.has(entry_id) or toml_path.exists():
                where = current.get(entry_id).origin if current.has(entry_id) else toml_path
                raise CatalogueError(f"{entry_id}: already in the catalogue ({where}); choose another --id")
            text_path = self.texts_dir() / f"{entry_id}{entry.extension}"
            write_atomic(text_path, data)
            try:
                write_atomic(toml_path, tomli_w.dumps(entry.to_dict()))
            except ScdocsError:
                text_path.unlink(missing_ok=True)
                raise
        self._entries[entry_id] = entry
        return entry
