"""Find the sheets and tables in raw rows: sheet names, the header row, the columns (SPEC.md section 2).

Names are matched case-insensitively, ignoring spaces and `_`, in English or Chinese, by their
schema key, Chinese name or an alias; a header that gives both (`price 售价`, `售价(price)`) matches
too.  The header row is the first row (within the first 30) that names every required column.  A
missing sheet or column is a `Problem` that suggests the closest name present (difflib).
"""
from __future__ import annotations

import difflib
import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from goalsheet.gc_pause import cyclic_gc_paused
from goalsheet.inputs.model import Problem
from goalsheet.inputs.read import Grid, col_letter   # the reader's grids, where the tables are found
from goalsheet.inputs.schema import SHEETS, Sheet, example_cells, example_mark, normalise
from goalsheet.words import Join, Phrase

HEADER_SEARCH_ROWS = 30


_SPLIT = re.compile(r"[\s/\\()（）\[\]【】|:：,，;；]+")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def name_candidates(text: object) -> list[str]:
    """Normalised forms of a header/sheet name to look up: the whole, then its parts."""
    raw = str(text).strip()
    out = [normalise(raw)]
    parts = [p for p in _SPLIT.split(raw) if p]
    if len(parts) > 1:
        out += [normalise(p) for p in parts]
        # `units 2025` style words are handled by the wide-form reader, not here
    cjk = _CJK_RUN.findall(raw)
    if cjk and len("".join(cjk)) < len(normalise(raw)):
        out += [normalise(c) for c in cjk]
        rest = _CJK_RUN.sub(" ", raw)
        out += [normalise(p) for p in _SPLIT.split(rest) if p]
    seen, result = set(), []
    for c in out:
        if c and c not in seen:
            seen.add(c)
            result.append(c)
    return result


def _lookup(names: dict[str, str], text: object) -> str | None:
    for c in name_candidates(text):
        if c in names:
            return names[c]
    return None


# Headers more or less specific than a column's own name, when two columns of a sheet name the same key: the
# seller SKU on Amazon (MSKU) is the product, an ERP's local `SKU` beside it is not; `(Child) ASIN` only tells a
# Business Report's rows apart.
SPECIFIC_HEADERS = {"sku": ("msku", "sellersku")}
VAGUE_HEADERS = {"sku": ("(child)asin",)}


def _lookup_ranked(names: dict[str, str], sheet: Sheet, text: object) -> tuple[str | None, tuple[int, int]]:
    """(key, rank) of a header: rank orders two headers naming one key, the more specific higher: the whole
    header before a part of it (`Units Ordered` before `Units Ordered - B2B`'s "units"), then a specific alias
    (MSKU), the column's own name or Chinese name, another alias, a vague alias ((Child) ASIN)."""
    for i, c in enumerate(name_candidates(text)):
        key = names.get(c)
        if key is None:
            continue
        column = sheet.column(key)
        if c in SPECIFIC_HEADERS.get(key, ()):
            rank = 3
        elif c in (normalise(column.key), normalise(column.zh)):
            rank = 2
        elif c in VAGUE_HEADERS.get(key, ()):
            rank = 0
        else:
            rank = 1
        return key, (int(i == 0), rank)
    return None, (0, 0)


def sheet_names_index() -> dict[str, str]:
    names: dict[str, str] = {}
    for s in SHEETS:
        for n in (s.key, s.zh, *s.aliases, f"{s.key}{s.zh}", f"{s.zh}{s.key}"):
            names.setdefault(normalise(n), s.key)
    return names


@functools.lru_cache(maxsize=None)
def column_names_index(sheet: Sheet) -> dict[str, str]:
    names: dict[str, str] = {}
    for c in sheet.columns:
        for n in (c.key, c.zh, *c.aliases, f"{c.key}{c.zh}", f"{c.zh}{c.key}"):
            names.setdefault(normalise(n), c.key)
    return names


def match_sheets(sheet_names: list[str]) -> tuple[dict[str, str], list[Problem], str]:
    """Map canonical sheet keys to the workbook's sheet names; problems for missing required sheets.

    Returns (key -> name, problems, lang) where lang is "zh" when most matched names are Chinese.
    """
    index = sheet_names_index()
    found: dict[str, str] = {}
    problems: list[Problem] = []
    zh_votes = en_votes = 0
    for name in sheet_names:
        key = _lookup(index, name)
        if key is None:
            continue
        if key in found:
            problems.append(Problem(name, "", severity="warning", code="second_sheet",
                                    args={"sheet": key, "sheet_zh": next(sh.zh for sh in SHEETS if sh.key == key),
                                          "first": found[key]}))
            continue
        found[key] = name
        if _CJK_RUN.search(str(name)):
            zh_votes += 1
        else:
            en_votes += 1
    for s in SHEETS:
        if s.required and s.key not in found:
            unmatched = [n for n in sheet_names if n not in found.values()]
            hint = closest(s.key, [s.key, s.zh, *s.aliases], unmatched)
            problems.append(Problem("", "", code="sheet_missing", args={
                "sheet": s.key, "sheet_zh": s.zh,
                "hint": Phrase("is_it", {"name": hint}) if hint else
                Phrase("workbook_has", {"names": Join(tuple(map(str, sheet_names)))}) if sheet_names else
                Phrase("workbook_has_none")}))
    lang = "zh" if zh_votes > en_votes else "en"
    return found, problems, lang


def workbook_lang(path) -> str | None:
    """The language of the workbook at `path` by its sheet names, read without parsing a sheet ("zh" or "en"),
    or None when they cannot be had that way (not an .xlsx/.xlsm, damaged, missing)."""
    from goalsheet.inputs.read import sheet_names_only

    names = sheet_names_only(path)
    return match_sheets(names)[2] if names else None


CLOSE_ENOUGH = 0.75
"""How alike (difflib's ratio) a whole name must be to a wanted one for a "did you mean" hint: `Reveune` is
revenue (0.86), `Ordered Product Sales - B2B` is no month."""


def closest(_key: str, wanted: list[str], present: list[object]) -> str | None:
    """The name in `present` most likely meant for one of `wanted`, or None: the whole name close to a wanted one
    (difflib, at least CLOSE_ENOUGH), or a part of it that is one (`Sales 2025` for sales)."""
    targets = [normalise(w) for w in wanted]
    best, best_score = None, 0.0
    for p in present:
        if p is None or str(p).strip() == "":
            continue
        names = name_candidates(p)
        if not names:
            continue
        whole, *parts = names
        score = max(difflib.SequenceMatcher(None, w, whole).ratio() for w in targets)
        if any(part in targets for part in parts):
            score = 1.0
        if score > best_score:
            best, best_score = str(p), score
    return best if best_score >= CLOSE_ENOUGH else None


@dataclass
class Table:
    """A data table found in a sheet: raw cells by canonical column, with where each came from."""
    schema: Sheet
    grid: Grid
    header_index: int                      # row index in grid.rows
    columns: dict[str, int]                # canonical key -> column index in grid.rows
    headers: dict[str, str]                # canonical key -> header as written
    data: pd.DataFrame                     # raw cells (object), canonical columns, positions 0..n-1
    row_index: np.ndarray                  # grid row index of each data row
    unmatched: list[tuple[int, object]] = field(default_factory=list)   # (column index, header) not matched
    notes: list[Problem] = field(default_factory=list)                    # warnings found while reading it
    # text-like columns factorized once (pd.factorize: codes, distinct cells) for the frame in `data`;
    # valid only while `data` is that frame (see `factors_of`)
    factors: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    factors_for: object = field(default=None, repr=False)
    # numeric columns whose every cell is a number or blank, as float64 (NaN for blank), for the same frame
    numbers: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    example_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int), repr=False)  # grid rows skipped

    def first_row_to_fill(self) -> str:
        """The cell where data should start: under the header and any example rows, in the leftmost column."""
        last = max([self.header_index, *map(int, self.example_rows)])
        return self.grid.a1(last + 1, min(self.columns.values()) if self.columns else 0)

    def factors_of(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(codes, distinct cells) of a column as pd.factorize gives them, if still valid for `data`."""
        return self.factors.get(key) if self.factors_for is self.data else None

    def numbers_of(self, key: str) -> np.ndarray | None:
        """A numeric column of only numbers and blanks as float64 (NaN for blank), if still valid for `data`."""
        return self.numbers.get(key) if self.factors_for is self.data else None

    @property
    def sheet(self) -> str:
        return self.grid.name

    def cell(self, position: int, key: str) -> str:
        return self.grid.a1(int(self.row_index[position]), self.columns[key])

    def column_cell(self, key: str) -> str:
        """The header cell of a column (for problems about the whole column)."""
        return self.grid.a1(self.header_index, self.columns[key])

    def row_number(self, position: int) -> int:
        return self.grid.row0 + int(self.row_index[position]) + 1


def _blank_cell(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and v != v)


def stripped_strings(values) -> list[str] | None:
    """Each value `.strip()`ped when every one is a string (the distinct cells of a text column, in practice),
    else None; one C-level pass (`str.strip` refuses anything but a string)."""
    try:
        return list(map(str.strip, values))
    except TypeError:
        return None


def blank_cells(values) -> list[bool]:
    """`_blank_cell` of each value."""
    stripped = stripped_strings(values)
    if stripped is None:
        return [_blank_cell(v) for v in values]
    return [not s for s in stripped]


def find_header(grid: Grid, schema: Sheet, extra_ok=None, special=None) -> tuple[int | None, dict[str, int], dict[str, str],
                                                                     list[tuple[int, object]], int]:
    """The header row: the first row naming every required column (or accepted by `extra_ok`).

    Returns (row index or None, key -> column, key -> header text, unmatched headers, best row).
    """
    index = column_names_index(schema)
    required = [c.key for c in schema.columns if c.required]
    best_row, best_count = None, 0
    for i, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        cols: dict[str, int] = {}
        heads: dict[str, str] = {}
        ranks: dict[str, tuple[int, int]] = {}
        unmatched: list[tuple[int, object]] = []
        for j, v in enumerate(row):
            if _blank_cell(v):
                continue
            key, rank = _lookup_ranked(index, schema, v) if isinstance(v, str) and not (special and special(v)) \
                else (None, (0, 0))
            if key is not None and (key not in cols or rank > ranks[key]):
                if key in cols:                        # the less specific header of the key: not read
                    unmatched.append((cols[key], row[cols[key]]))
                cols[key], heads[key], ranks[key] = j, str(v).strip(), rank
            else:
                unmatched.append((j, v))
        unmatched.sort(key=lambda jv: jv[0])
        if all(k in cols for k in required) or (extra_ok is not None and extra_ok(cols, unmatched)):
            return i, cols, heads, unmatched, i
        if len(cols) > best_count:
            best_row, best_count = i, len(cols)
    return None, {}, {}, [], (best_row if best_row is not None else _first_nonblank_row(grid))


def _first_nonblank_row(grid: Grid) -> int:
    for i, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        if any(not _blank_cell(v) for v in row):
            return i
    return 0


def missing_columns_problems(grid: Grid, schema: Sheet, row: int) -> list[Problem]:
    """Problems for the required columns the best header row lacks, each suggesting a close header."""
    index = column_names_index(schema)
    header = grid.rows[row] if row < len(grid.rows) else []
    present = {}
    for j, v in enumerate(header):
        if not _blank_cell(v):
            key = _lookup(index, v) if isinstance(v, str) else None
            present.setdefault(key, j)
    problems = []
    used: set[int] = set(j for k, j in present.items() if k is not None)
    for c in schema.columns:
        if not c.required or c.key in present:
            continue
        candidates = [(j, v) for j, v in enumerate(header) if not _blank_cell(v) and j not in used]
        hint = closest(c.key, [c.key, c.zh, *c.aliases], [v for _, v in candidates])
        if hint is not None:
            j = next(j for j, v in candidates if str(v) == hint)
            problems.append(Problem(grid.name, grid.a1(row, j), code="column_missing_hint",
                                    args={"key": c.key, "name_zh": c.zh, "hint": hint}))
        else:
            problems.append(Problem(grid.name, grid.a1(row, 0) if header else "", code="column_missing",
                                    args={"key": c.key, "name_zh": c.zh, "row": grid.row0 + row + 1}))
    return problems


def build_table(grid: Grid, schema: Sheet, header: int, cols: dict[str, int], heads: dict[str, str],
                unmatched: list[tuple[int, object]], extra_cols: list[int] = ()) -> Table:
    """The rows under the header as a DataFrame of raw cells; fully blank rows are dropped."""
    body = grid.rows[header + 1:]
    n = len(body)
    width = max(len(grid.rows[header]), max((len(r) for r in body[:1]), default=0))
    arr = _cell_array(body, width)
    keys = list(cols) + list(extra_cols)
    index = [cols[k] for k in cols] + list(extra_cols)
    if index and max(index) >= arr.shape[1]:
        wider = np.full((n, max(index) + 1), None, dtype=object)
        wider[:, :arr.shape[1]] = arr
        arr = wider
    cells = arr if index == list(range(arr.shape[1])) else arr[:, index]     # every column, in order: no copy
    frame = pd.DataFrame(cells, columns=pd.Index(keys, dtype=object), dtype=object, copy=False) if keys else \
        pd.DataFrame(index=range(n))
    row_index = np.arange(header + 1, header + 1 + n)
    # text-like columns are factorized once: the blank-row and total-row scans and the key parsing
    # (sales.factor_column) then look at each distinct cell once, not at every row
    factors = {c.key: pd.factorize(frame[c.key].to_numpy(dtype=object), use_na_sentinel=True)
               for c in schema.columns if c.kind in _TEXT_KINDS and c.key in frame.columns} if n else {}
    numbers: dict[str, np.ndarray] = {}
    if n and len(frame.columns):
        blank = blank_rows(frame, factors, numbers)
        numbers = {c.key: numbers[c.key] for c in schema.columns if c.kind in _NUMBER_KINDS and c.key in numbers}
        if blank.any():
            keep = ~blank
            frame = frame.loc[keep].reset_index(drop=True)
            row_index = row_index[keep]
            factors = _keep_factors(factors, keep)
            numbers = {k: v[keep] for k, v in numbers.items()}
    table = Table(schema, grid, header, dict(cols), dict(heads), frame, row_index, list(unmatched),
                  factors=factors, factors_for=frame, numbers=numbers)
    _note_second_columns(table)
    _drop_repeated_headers(table)
    _drop_example_rows(table)
    _drop_total_rows(table)
    return table


def _note_second_columns(table: Table) -> None:
    """A header naming a key another column of the table is read for (`(Child) ASIN` beside `SKU`, an ERP's
    local `SKU` beside `MSKU`): a warning naming both, so the seller sees which one was read."""
    index = column_names_index(table.schema)
    for j, v in table.unmatched:
        key = _lookup(index, v) if isinstance(v, str) else None
        if key is None or key not in table.columns:
            continue
        column = table.schema.column(key)
        table.notes.append(Problem(table.sheet, table.grid.a1(table.header_index, j), severity="warning",
                                   code="column_not_read", args={
                                       "header": str(v).strip(), "key": key, "name_zh": column.zh,
                                       "used": table.headers[key], "used_cell": table.column_cell(key)}))


def _drop_repeated_headers(table: Table) -> None:
    """Rows that repeat the header row (reports stacked one under another, each with its header) are not data:
    skipped, with a warning.  A row repeats it when each of its cells under a read column names that column."""
    if not len(table.data) or not table.columns:
        return
    index = column_names_index(table.schema)
    keys = [k for k in table.columns if k in table.data]
    if not keys:
        return
    first = keys[0]
    factor = table.factors_of(first)
    if factor is not None:
        codes, uniques = factor
        named = np.array([isinstance(u, str) and _lookup(index, u) == first for u in uniques] + [False], dtype=bool)
        candidates = np.flatnonzero(named[codes])
    else:
        candidates = np.flatnonzero([isinstance(v, str) and _lookup(index, v) == first for v in table.data[first]])
    repeated = [int(p) for p in candidates
                if all(isinstance(table.data.at[int(p), k], str) and _lookup(index, table.data.at[int(p), k]) == k
                       for k in keys)]
    if not repeated:
        return
    rows = [str(table.row_number(p)) for p in repeated]
    table.notes.append(Problem(table.sheet, table.grid.a1(int(table.row_index[repeated[0]]), 0), severity="warning",
                               code="header_row_repeated",
                               args={"rows": ", ".join(rows[:5]) + (" …" if len(rows) > 5 else "")}))
    keep = np.ones(len(table.data), dtype=bool)
    keep[repeated] = False
    _keep_rows(table, keep)


def _keep_rows(table: Table, keep: np.ndarray) -> None:
    """Keep only the rows of `keep` (a boolean mask over table.data), with their sheet rows and, when they were
    worked out for this data, their factors and numbers."""
    valid = table.factors_for is table.data
    table.data = table.data.loc[keep].reset_index(drop=True)
    table.row_index = table.row_index[keep]
    if valid:
        table.factors, table.factors_for = _keep_factors(table.factors, keep), table.data
        table.numbers = {k: v[keep] for k, v in table.numbers.items()}


def _drop_example_rows(table: Table) -> None:
    """The example rows of `goalsheet init` (first cell marked "e.g." / "例：", `schema.example_mark`) are not data:
    skip them, so an example left in the book changes no figure; one the seller edited is skipped with a warning
    (they meant it as data: the mark must go)."""
    if not len(table.data) or not table.columns:
        return
    first = min(table.columns, key=table.columns.get)      # the table's leftmost column
    factor = table.factors_of(first)
    if factor is not None:
        codes, uniques = factor
        marked = np.array([example_mark(u) is not None for u in uniques] + [False], dtype=bool)[codes]
    elif table.numbers_of(first) is not None:
        return                                              # only numbers: no mark
    else:
        marked = np.array([example_mark(v) is not None for v in table.data[first]], dtype=bool)
    if not marked.any():
        return
    positions = np.flatnonzero(marked)
    table.example_rows = table.row_index[positions]
    examples = [dict(zip((c.key for c in table.schema.columns), example_cells(table.schema, lang)))
                for lang in ("en", "zh")]
    for pos in positions:
        row = {k: table.data.at[int(pos), k] for k in table.columns if k in examples[0]}
        if not any(all(_same_cell(v, example[k]) for k, v in row.items()) for example in examples):
            table.notes.append(Problem(table.sheet, table.cell(int(pos), first), severity="warning",
                                       code="example_row_edited",
                                       args={"mark": example_mark(table.data.at[int(pos), first])}))
    _keep_rows(table, ~marked)


def _same_cell(value: object, example: object) -> bool:
    """A cell still as `goalsheet init` wrote it: a number equal to the example's, or the same text (case, width,
    spaces and `_` aside); blank where the example is blank."""
    if _blank_cell(value) or example is None:
        return _blank_cell(value) and example is None
    if isinstance(example, (int, float)) and not isinstance(value, str):
        try:
            return abs(float(value) - float(example)) < 1e-9
        except (TypeError, ValueError):
            return False
    return normalise(unicodedata.normalize("NFKC", str(value))) == normalise(unicodedata.normalize("NFKC", str(example)))


_TEXT_KINDS = ("text", "month", "enum")
_NUMBER_KINDS = ("money", "number", "rate", "int")


def _keep_factors(factors: dict, keep: np.ndarray) -> dict:
    """The factors of the rows kept, each column's distinct cells cut to those still present (in their order)."""
    out = {}
    for key, (codes, uniques) in factors.items():
        codes = codes[keep]
        present = np.bincount(codes[codes >= 0], minlength=len(uniques)) > 0
        if not present.all():
            remap = np.full(len(uniques) + 1, -1, dtype=codes.dtype)
            remap[np.flatnonzero(present)] = np.arange(int(present.sum()), dtype=codes.dtype)
            codes, uniques = remap[codes], uniques[present]
        out[key] = (codes, uniques)
    return out


TOTAL_WORDS = ("total", "totals", "grand total", "sum", "subtotal", "sub total", "合计", "总计", "小计", "汇总",
               "合計", "總計", "總和", "总和")
_TOTAL_VARIANTS = {v for w in TOTAL_WORDS for base in (w, w.title(), w.upper(), w.capitalize())
                   for v in (base, base + ":", base + "：")}


def _drop_total_rows(table: Table) -> None:
    """A `Total` / `合计` row under a table is the seller's sum, not data: skip it, with a warning."""
    if not len(table.data):
        return
    text_keys = [c.key for c in table.schema.columns if c.kind in _TEXT_KINDS and c.key in table.data]
    n = len(table.data)
    mask = np.zeros(n, dtype=bool)
    for key in text_keys:
        factor = table.factors_of(key)
        if factor is not None:
            # each distinct cell judged once (a string equals only the same string: its cells all alike)
            codes, uniques = factor
            if n <= 5000:      # small tables: any spelling ("  GRAND TOTAL ")
                total = [isinstance(u, str) and (u in _TOTAL_VARIANTS or _total_word(u)) for u in uniques]
            else:
                total = [isinstance(u, str) and u in _TOTAL_VARIANTS for u in uniques]
            mask |= np.array(total + [False], dtype=bool)[codes]   # code -1 (blank) picks the trailing False
            continue
        col = table.data[key]
        mask |= col.isin(_TOTAL_VARIANTS).to_numpy()
        if n <= 5000:
            mask |= np.array([isinstance(v, str) and _total_word(v) for v in col], dtype=bool)
    if not mask.any():
        return
    rows = [str(table.row_number(int(p))) for p in np.flatnonzero(mask)]
    table.notes.append(Problem(table.sheet, table.grid.a1(int(table.row_index[np.flatnonzero(mask)[0]]), 0),
                               severity="warning", code="total_row",
                               args={"rows": ", ".join(rows[:5]) + (" …" if len(rows) > 5 else "")}))
    _keep_rows(table, ~mask)


def _total_word(text: str) -> bool:
    """A total row's label in any spelling ("  GRAND TOTAL ", "Sum:")."""
    return " ".join(text.split()).lower().rstrip(":：") in TOTAL_WORDS


def _cell_array(body: list[list], width: int) -> np.ndarray:
    """Rows as a 2-D object array (fast for a reader's rectangular rows; ragged rows are padded)."""
    n = len(body)
    if n == 0:
        return np.empty((0, width), dtype=object)
    width = max(width, len(body[0]))
    if set(map(len, body)) == {width}:
        # every row as wide: the cells streamed in one C-level pass (a third faster than `arr[:] = body`)
        return np.fromiter(itertools.chain.from_iterable(body), dtype=object, count=n * width).reshape(n, width)
    width = max(width, max(len(r) for r in body))
    arr = np.full((n, width), None, dtype=object)
    for i, r in enumerate(body):
        arr[i, :len(r)] = r
    return arr


def blank_rows(frame: pd.DataFrame, factors: dict | None = None, numbers: dict | None = None) -> np.ndarray:
    """Rows whose every cell is blank (None/NaN, "" or only spaces); fast when a column is all numbers.

    `factors` (key -> pd.factorize codes, distinct cells) lets a text column be judged by its distinct cells;
    the all-number columns' float64 values are put in `numbers` (key -> array) when it is given.
    """
    n = len(frame)
    candidate = np.ones(n, dtype=bool)
    text_cols = []
    for key in frame.columns:
        if factors and key in factors:
            codes, uniques = factors[key]
            blank = np.array(blank_cells(uniques) + [True], dtype=bool)
            candidate &= blank[codes]            # code -1 (None/NaN) picks the trailing True
            continue
        arr = frame[key].to_numpy(dtype=object)
        kind = pd.api.types.infer_dtype(arr, skipna=True)
        if kind in ("floating", "integer", "mixed-integer-float", "empty"):
            floats = arr.astype("float64")
            candidate &= np.isnan(floats)
            if numbers is not None:
                numbers[key] = floats
        else:
            text_cols.append(arr)
    for arr in text_cols:
        idx = np.flatnonzero(candidate)
        if len(idx):
            sub = arr[idx]
            hard = pd.isna(sub) | (sub == "")
            spaces = np.fromiter((isinstance(v, str) and not v.strip() for v in sub[~hard]), dtype=bool,
                                 count=int((~hard).sum()))
            blank = hard.copy()
            blank[np.flatnonzero(~hard)[spaces]] = True
            candidate[idx[~blank]] = False
    return candidate
