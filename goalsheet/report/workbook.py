"""Writing the plan workbook and reading it back (SPEC sections 1, 3.1 and 4).

Writing is atomic (the package is rendered straight into a temporary file in the output's folder, then
`os.replace`; with `--json`, both files appear or neither changes).  Every workbook goalsheet writes carries
two custom document properties, `goalsheet` (the version) and `goalsheet_plan_sha256` (of the embedded plan
JSON), which is how `plan` knows it may overwrite the file (SPEC section 1).  The plan itself
(`Plan.to_json(by_column=True)`: its tables by column) is embedded in a very hidden sheet `_goalsheet_plan`
(column A, in chunks), so `plan --baseline EARLIER.xlsx` can take its figures back (SPEC 3.1) even after the
workbook was opened and saved in Excel, WPS or LibreOffice.  Both are added during the render (`embed_plan`,
the render's `before_save` hook): the file is written once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from importlib import resources
from pathlib import Path
from typing import Any

from goalsheet import __version__
from goalsheet.paths import error_writing
from goalsheet.report.assumptions import worded_plan
from goalsheet.words import Phrase
from goalsheet.report.context import plan_context
from goalsheet.report.printing import fit_pages
from goalsheet.report.widths import fit_columns, table_widths

EMBED_SHEET = "_goalsheet_plan"
PROPERTY_VERSION = "goalsheet"
PROPERTY_SHA = "goalsheet_plan_sha256"
CHUNK = 30000            # characters of plan JSON per cell (Excel's limit is 32 767)


def default_template(lang: str = "en") -> Path:
    """The default template shipped in `goalsheet.templates` (plan_en.xlsx / plan_zh.xlsx)."""
    lang = "zh" if lang == "zh" else "en"
    ref = resources.files("goalsheet.templates").joinpath(f"plan_{lang}.xlsx")
    return Path(str(ref))


def write_plan_workbook(plan, path: Path, lang: str = "en", template: Path | None = None,
                        compiled=None, json_path: Path | None = None) -> None:
    """Render the plan into `template` (default: the shipped one for `lang`) and write it to `path` atomically;
    with `json_path`, the plan's JSON (`plan_json_file_text`) too, published with the workbook: both files
    appear, or neither changes.

    The workbook is marked as goalsheet's own (custom properties `goalsheet`, `goalsheet_plan_sha256`) and
    carries `plan.to_json()` in the very hidden sheet `_goalsheet_plan`, for `--baseline`; both are added to
    the workbook during the render.  The package is written once, straight to a temporary file beside `path`,
    which then replaces `path`.

    Raises `goalsheet.paths.OutputError` (an OSError, one line naming the file) when a file cannot be
    written; nothing is left behind then.  Raises `goalsheet.render.TemplateError` for a bad template.
    """
    path = Path(path)
    lang = "zh" if lang == "zh" else "en"
    context = plan_context(plan, lang)
    plan_json = plan_json_text(plan)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise error_writing(path, exc) from None
    with _TempFiles() as temps:
        rendered = temps.beside(path)
        try:
            render_workbook(Path(template) if template else default_template(lang), context, out=rendered,
                            plan_json=plan_json, compiled=compiled, widths=table_widths(plan, lang))
        except OSError as exc:
            raise error_writing(path, exc) from None
        pairs = [(rendered, path)]
        if json_path is not None:
            json_path = Path(json_path)
            written = temps.beside(json_path)
            try:
                written.write_text(plan_json_file_text(plan), encoding="utf-8")
            except OSError as exc:
                raise error_writing(json_path, exc) from None
            pairs.append((written, json_path))
        publish_together(pairs)


def plan_json_file_text(plan) -> str:
    """The `plan --json` file: `Plan.to_json()` (tables as records), readable, UTF-8.  Its first key is
    "goalsheet_plan", by which a rerun knows the file as its own (`goalsheet.paths.is_plan_json`)."""
    return json.dumps(worded_plan(plan).to_json(), ensure_ascii=False, indent=1)


def plan_json_text(plan) -> str:
    """The embedded plan: `Plan.to_json(by_column=True)` as ASCII JSON (non-ASCII escaped as JSON's \\uXXXX, so
    a chunk of CHUNK characters is as many UTF-16 units in Excel, and any XML carries it); `read_embedded_plan`
    gives it back as `Plan.to_json()`."""
    return json.dumps(worded_plan(plan).to_json(by_column=True), ensure_ascii=True, separators=(",", ":"), default=_json_default,
                      allow_nan=False)


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class TemplateFileError(Exception):
    """A template file that is not a readable .xlsx workbook (not a zip, a damaged package); str() is one line
    naming the file, `text(lang)` that line in the run's language."""

    def __init__(self, phrase: Phrase):
        super().__init__(phrase.text("en"))
        self.phrase = phrase

    def text(self, lang: str = "en") -> str:
        return self.phrase.text(lang)


def load_template(template: Path):
    """The template workbook compiled (`goalsheet.render.Template`), less a plan sheet it carries when it is
    itself a goalsheet output.  The pipeline compiles it while the plan's capital is being made and hands it to
    `write_plan_workbook(compiled=...)`.

    Raises `goalsheet.render.TemplateError` for a bad user template (a cell naming an unknown field, a bad
    tag), `TemplateFileError` for a file that is no workbook at all or a damaged one."""
    from goalsheet.render import Template, TemplateError

    template = Path(template)
    try:
        return Template(_without_embedded_plan(template.read_bytes()))
    except TemplateError:
        raise
    except MemoryError:
        raise TemplateFileError(Phrase("template_too_large", {"path": template})) from None
    except Exception as exc:  # noqa: BLE001 - zipfile, XML and openpyxl each raise their own kind for a bad file
        raise TemplateFileError(Phrase("template_unreadable", {"path": template, "reason": _reason(exc)})) from None


def _reason(exc: BaseException) -> str:
    """A short reason for a damaged file: the exception's text on one line, at most 160 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


def render_workbook(template: Path, context: dict[str, Any], out: Path | None = None,
                    plan_json: str | None = None, compiled=None,
                    widths: dict[str, list[float]] | None = None) -> bytes | None:
    """The template filled with the context, by `goalsheet.render` (SPEC section 5): written to `out`, or
    returned as .xlsx bytes when `out` is None.  With `plan_json` the workbook is marked and carries the plan
    (`embed_plan`).  `compiled`: `load_template(template)` made beforehand.  `widths`: the width each table
    column needs (`widths.table_widths`); its columns are widened to them (`widths.fit_columns`), and its pages
fitted to them (`printing.fit_pages`).

    Raises `goalsheet.render.TemplateError` ("Sheet!B7: unknown name ...") for a bad user template."""
    from goalsheet.render import Template

    hook = None
    if compiled is None:
        source = Path(template).read_bytes()
        compiled = Template(_without_embedded_plan(source) if plan_json is not None else source)
    if plan_json is not None or widths:
        def hook(wb):
            if widths:
                fit_columns(wb, widths)
                fit_pages(wb)
            return embed_plan(wb, plan_json) if plan_json is not None else None
    target = io.BytesIO() if out is None else Path(out)
    compiled.render(context, target, before_save=hook)
    return target.getvalue() if out is None else None


def embed_plan(wb, plan_json: str) -> dict:
    """Mark an openpyxl workbook as goalsheet's (custom properties) and add the very hidden plan sheet:
    A1 'goalsheet_plan', B1 the number of chunks, C1 the JSON's SHA-256; the JSON from A2 down, CHUNK
    characters a cell.  The sheet's rows are returned for the render to stream in ({sheet: rows}, the
    `before_save` protocol), not put in openpyxl cells: openpyxl would deflate the 34 MB of the largest
    seller's plan at level 6 only for the package writer to inflate it and deflate it again."""
    from openpyxl.packaging.custom import StringProperty

    sha = hashlib.sha256(plan_json.encode("ascii")).hexdigest()
    marks = {PROPERTY_VERSION: __version__, PROPERTY_SHA: sha}
    props = wb.custom_doc_props
    props.props = [p for p in props.props if p.name not in marks]
    for name, value in marks.items():
        props.append(StringProperty(name=name, value=value))
    chunks = [plan_json[i:i + CHUNK] for i in range(0, len(plan_json), CHUNK)] or [""]
    ws = wb.create_sheet(EMBED_SHEET)
    ws.sheet_state = "veryHidden"
    return {ws: [["goalsheet_plan", len(chunks), sha]] + [[chunk] for chunk in chunks]}


def _without_embedded_plan(xlsx: bytes) -> bytes:
    """A template that is itself a goalsheet output, without its plan sheet (the render adds the new one)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        if f'name="{EMBED_SHEET}"'.encode() not in z.read("xl/workbook.xml"):
            return xlsx
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx), rich_text=False)
    wb.remove(wb[EMBED_SHEET])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _temp_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty temporary file in `path`'s folder (so os.replace is atomic)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    return Path(tmp)


class _TempFiles:
    """Temporary files beside their targets, removed on leaving unless published (`beside` names one; an
    OSError making it is the target's one-line OutputError)."""

    def __init__(self):
        self.paths: list[Path] = []

    def beside(self, target: Path, suffix: str = ".tmp") -> Path:
        try:
            tmp = _temp_beside(Path(target), suffix)
        except OSError as exc:
            raise error_writing(Path(target), exc) from None
        self.paths.append(tmp)
        return tmp

    def __enter__(self) -> "_TempFiles":
        return self

    def __exit__(self, *exc_info) -> None:
        for tmp in self.paths:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            except OSError:         # best effort: a leftover hidden .tmp is harmless
                pass


def _publish(tmp: Path, path: Path) -> None:
    """Make the finished temporary file `path`: flushed to disk, the usual permissions, replaced in one step."""
    with open(tmp, "rb+") as f:
        os.fsync(f.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    os.replace(tmp, path)


def publish_together(pairs: list[tuple[Path, Path]]) -> None:
    """Each finished temporary file (in its target's folder) becomes its target: all of them or none.

    Before a target is replaced its previous file, if any, is kept under a temporary name (a hard link, else a
    copy); if a later target cannot be replaced (a file open in Excel, a permission), the ones already
    replaced get their previous file back (or are removed when there was none) and the one-line OutputError
    of the failing target is raised.  A single pair is one `os.replace`."""
    done: list[tuple[Path, Path | None]] = []
    try:
        for tmp, target in pairs:
            kept = _keep_previous(target) if len(pairs) > 1 else None
            try:
                _publish(tmp, target)
            except OSError as exc:
                if kept is not None:
                    _remove(kept)
                raise error_writing(target, exc) from None
            done.append((target, kept))
    except BaseException:
        for target, kept in reversed(done):
            try:
                if kept is not None:
                    os.replace(kept, target)
                else:
                    os.unlink(target)
            except OSError:
                pass
        raise
    for _target, kept in done:
        if kept is not None:
            _remove(kept)


def _keep_previous(target: Path) -> Path | None:
    """The current file at `target` under a new temporary name beside it (None when there is none)."""
    if not os.path.isfile(target):
        return None
    try:
        kept = _temp_beside(target, ".previous")
        os.unlink(kept)
        try:
            os.link(target, kept)
        except OSError:             # no hard links here (FAT, some network shares): a copy
            import shutil
            shutil.copyfile(target, kept)
    except OSError as exc:
        raise error_writing(target, exc) from None
    return kept


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def made_beside(path: Path, make) -> None:
    """`make(tmp)` writes a file at a temporary name beside `path` (with `path`'s suffix, for writers that go by
    it), which then becomes `path` in one step: the file appears whole or not at all.  Raises
    `goalsheet.paths.OutputError` (one line naming `path`) when it cannot be written."""
    path = Path(path)
    with _TempFiles() as temps:
        tmp = temps.beside(path, path.suffix or ".tmp")
        try:
            make(tmp)
        except OSError as exc:
            raise error_writing(path, exc) from None
        publish_together([(tmp, path)])


def custom_properties(path: Path) -> dict[str, str]:
    """The workbook's custom document properties ({} for a file that is not an .xlsx)."""
    from xml.etree import ElementTree as ET

    try:
        with zipfile.ZipFile(path) as z:
            if "docProps/custom.xml" not in z.namelist():
                return {}
            root = ET.fromstring(z.read("docProps/custom.xml"))
    except (OSError, zipfile.BadZipFile, ET.ParseError, KeyError):
        return {}
    props = {}
    for prop in root:
        value = next(iter(prop), None)
        props[prop.get("name", "")] = value.text if value is not None and value.text is not None else ""
    return props


def is_goalsheet_output(path: Path) -> bool:
    """True when goalsheet wrote this file (its custom property, or its embedded plan sheet), so `plan` may
    overwrite it (SPEC section 1)."""
    path = Path(path)
    if not path.is_file():
        return False
    if PROPERTY_VERSION in custom_properties(path):
        return True
    try:
        with zipfile.ZipFile(path) as z:
            book = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, zipfile.BadZipFile, KeyError):
        return False
    return f'name="{EMBED_SHEET}"' in book


def read_embedded_plan(path: Path) -> dict | None:
    """The plan JSON goalsheet embedded in a plan workbook, or None when there is none (or it is damaged)."""
    import warnings

    from openpyxl import load_workbook

    path = Path(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:   # noqa: BLE001 - any unreadable file simply holds no plan
        return None
    try:
        if EMBED_SHEET not in wb.sheetnames:
            return None
        ws = wb[EMBED_SHEET]
        sha, count, chunks = None, None, []
        for i, row in enumerate(ws.iter_rows(min_col=1, max_col=3, values_only=True)):
            if i == 0:
                if row[0] != "goalsheet_plan":
                    return None
                count, sha = row[1], row[2]
                continue
            if row[0] is None:
                break
            chunks.append(str(row[0]))
    finally:
        wb.close()
    text = "".join(chunks)
    if not isinstance(sha, str) or not isinstance(count, (int, float)) or int(count) != len(chunks):
        return None
    if hashlib.sha256(text.encode("utf-8")).hexdigest() != sha:
        return None
    try:
        plan = json.loads(text)
    except ValueError:
        return None
    if not _plan_shaped(plan):
        return None
    from goalsheet.plan.result import tables_as_records
    try:
        return tables_as_records(plan)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return None


_SCALARS = (str, int, float, bool, type(None))


def _plan_shaped(plan: Any) -> bool:
    """The embedded plan has the shape `Plan.to_json(by_column=True)` gives: an object marked "goalsheet_plan",
    a headline of plain values, tables each {"columns": names, "values": one list of plain values per column,
    "rows": their length} (or lists of records), and a "frozen" object.  Anything else (an edited or forged
    plan sheet) is no plan: `--baseline` then says so in one line instead of failing deep in the planner."""
    if not isinstance(plan, dict) or plan.get("goalsheet_plan") != 1:
        return False
    headline, tables, frozen = plan.get("headline", {}), plan.get("tables", {}), plan.get("frozen", {})
    if not (isinstance(headline, dict) and isinstance(tables, dict) and isinstance(frozen, dict)):
        return False
    if not all(isinstance(v, _SCALARS) for v in headline.values()):
        return False
    for table in tables.values():
        if isinstance(table, list):
            if not all(isinstance(r, dict) and all(isinstance(v, _SCALARS) for v in r.values()) for r in table):
                return False
            continue
        if not isinstance(table, dict):
            return False
        columns, values, rows = table.get("columns"), table.get("values"), table.get("rows")
        if not (isinstance(columns, list) and isinstance(values, list) and isinstance(rows, int)
                and 0 <= rows <= 1_048_576 and len(columns) == len(values) and all(isinstance(c, str) for c in columns)):
            return False
        if not all(isinstance(col, list) and len(col) == rows and all(isinstance(v, _SCALARS) for v in col)
                   for col in values):
            return False
    return True
