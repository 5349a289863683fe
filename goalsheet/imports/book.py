"""Writing the imported figures into the input workbook (`goalsheet import`, SPEC.md sections 1 and 2).

A book that does not exist is made from the `init` layout (its example Sales row removed).  An existing one is
edited with openpyxl, cell by cell: only the Sales cells of the imported store-months and measures change (a
report's store-month replaces what the book had for it: importing twice changes nothing), every other sheet,
row and value stays as the seller typed it.  The `Imports` sheet lists, per report, what was taken and what was
left out and why (a report imported again replaces its line).
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from openpyxl.utils import get_column_letter

from goalsheet.imports.extract import Extract
from goalsheet.imports.problems import ReportError
from goalsheet.imports.stores import BookStores, book_stores
from goalsheet.inputs.derived import (DERIVED_COLUMNS, DERIVED_FIRST_COLUMN, DERIVED_HEADERS, DERIVED_KEYS,
                                      IMPORTS_SHEET, derived_lines, imports_sheet_name, same_value)
from goalsheet.inputs.read import Grid
from goalsheet.inputs.schema import SALES, STORES, SKUS
from goalsheet.inputs.tables import find_header, match_sheets
from goalsheet.inputs.values import BadValue, parse_month
from goalsheet.words import TERMS

IMPORTS_COLUMNS = ("report", "kind", "rows", "months", "stores", "skus", "left_out")
MEASURE_ORDER = ("units", "revenue", "ad_spend", "refunds")


class Book:
    """An input workbook open for import: its Sales sheet's layout and its stores."""

    def __init__(self, path: Path, new: bool, lang: str):
        import openpyxl

        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            raise ReportError("import_book_not_xlsx", book=path.name)
        try:
            self.wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a file that is not a workbook
            raise ReportError("import_book_unreadable", book=path.name,
                              why=" ".join(str(exc).split())[:120] or type(exc).__name__) from None
        found, problems, book_lang = match_sheets(self.wb.sheetnames)
        if any(k not in found for k in ("Sales", "SKUs", "Settings")):
            raise ReportError("import_not_input_book", book=path.name)
        self.lang = lang if new else book_lang
        self.name = path.name
        self.sales = self.wb[found["Sales"]]
        self.found = found
        rows = [list(r) for r in self.sales.iter_rows(values_only=True)]
        header, cols, _, _, _ = find_header(Grid(self.sales.title, rows), SALES)
        if header is None:
            raise ReportError("import_sales_not_long", book=path.name, sheet=self.sales.title)
        self.header_row = header + 1          # 1-based row of the header
        self.cols = {k: v + 1 for k, v in cols.items()}
        self.rows = rows
        if new:
            self._clear_example_rows()
        self.stores = self._stores()

    def _clear_example_rows(self) -> None:
        for r in range(self.header_row + 1, self.sales.max_row + 1):
            for c in range(1, self.sales.max_column + 1):
                self.sales.cell(r, c).value = None
        self.rows = self.rows[:self.header_row]

    def _table(self, key: str, schema) -> tuple[list[list], dict[str, int]]:
        if key not in self.found:
            return [], {}
        rows = [list(r) for r in self.wb[self.found[key]].iter_rows(values_only=True)]
        header, cols, _, _, _ = find_header(Grid(self.found[key], rows), schema)
        return (rows[header + 1:], cols) if header is not None else ([], {})

    def _stores(self) -> BookStores:
        rows, cols = self._table("Stores", STORES)
        stores = []
        for row in rows:
            get = lambda k: row[cols[k]] if k in cols and cols[k] < len(row) else None   # noqa: E731
            if get("store") not in (None, ""):
                stores.append((get("store"), get("marketplace"), get("currency")))
        others = []
        sku_rows, sku_cols = self._table("SKUs", SKUS)
        if "store" in sku_cols:
            others += [r[sku_cols["store"]] for r in sku_rows if sku_cols["store"] < len(r) and r[sku_cols["store"]]]
        if "store" in self.cols:
            c = self.cols["store"] - 1
            others += [r[c] for r in self.rows[self.header_row:] if c < len(r) and r[c]]
        example = [c.example for c in SKUS.columns if c.key == "store"]
        if not stores and set(map(str, others)) <= set(map(str, example)):
            others = []                # a new book's example store is no store of the seller's
        return book_stores(stores, [str(o) for o in others if str(o).strip()])

    # ---------------------------------------------------------------- Sales

    def write_sales(self, extracts: list[Extract]) -> None:
        """Each extract's measures of its store-months replace the book's; rows of other store-months stay."""
        ws = self.sales
        for measure in MEASURE_ORDER:
            if measure not in self.cols and any(measure in e.measures for e in extracts):
                col = max(self.cols.values()) + 1
                while ws.cell(self.header_row, col).value not in (None, ""):
                    col += 1
                column = SALES.column(measure)
                ws.cell(self.header_row, col, column.zh if self.lang == "zh" else column.key)
                self.cols[measure] = col
        existing: dict[tuple[str, str, str], int] = {}
        by_store_month: dict[tuple[str, str], list[int]] = {}
        blank_rows: list[int] = []
        last = self.header_row
        for r in range(self.header_row + 1, ws.max_row + 1):
            month, store, sku = (ws.cell(r, self.cols[k]).value for k in ("month", "store", "sku"))
            if all(v in (None, "") for v in (month, store, sku)):
                if all(ws.cell(r, c).value in (None, "") for c in self.cols.values()):
                    blank_rows.append(r)
                continue
            last = r
            try:
                month = parse_month(month)
            except BadValue:
                continue
            key = (month, str(store).strip(), str(sku).strip())
            existing.setdefault(key, r)
            by_store_month.setdefault(key[:2], []).append(r)
        blank_rows = [r for r in blank_rows if r < last]
        next_row = last + 1
        for ex in extracts:
            pairs = set(zip(ex.sales["month"], ex.sales["store"])) if len(ex.sales) else set()
            for pair in pairs:
                for r in by_store_month.get(pair, []):
                    for m in ex.measures:
                        ws.cell(r, self.cols[m]).value = None
            for rec in ex.sales.to_dict("records"):
                key = (rec["month"], rec["store"], rec["sku"])
                r = existing.get(key)
                if r is None:
                    if blank_rows:
                        r = blank_rows.pop(0)
                    else:
                        r, next_row = next_row, next_row + 1
                    existing[key] = r
                    by_store_month.setdefault(key[:2], []).append(r)
                    for k, v in zip(("month", "store", "sku"), key):
                        ws.cell(r, self.cols[k]).value = v
                        ws.cell(r, self.cols[k]).data_type = "s"      # a SKU "=..." stays text
                for m in ex.measures:
                    ws.cell(r, self.cols[m]).value = _figure(rec[m], m)
        # a row left with no figure at all (its SKU gone from the store-month's report) is cleared; a row with
        # some measure of another report keeps it, the required ones it lacks made 0
        for rows in by_store_month.values():
            for r in rows:
                figures = [ws.cell(r, self.cols[m]).value for m in MEASURE_ORDER if m in self.cols]
                if all(v in (None, "") for v in figures):
                    for c in self.cols.values():
                        ws.cell(r, c).value = None
                else:
                    for m in ("units", "revenue"):
                        if ws.cell(r, self.cols[m]).value in (None, ""):
                            ws.cell(r, self.cols[m]).value = 0

    # ---------------------------------------------------------------- SKUs

    def write_economics(self, extracts: list[Extract], refresh: bool) -> Counter:
        """The SKU values the reports state, into blank SKUs cells (a store × SKU the sheet lacks gets a row); a
        value an earlier import derived (listed on the Imports sheet, still in its cell) is replaced only with
        `refresh`, a value the seller typed never.  Each value written is listed on the Imports sheet with its
        report and period.  Returns counts: ("written", column), ("typed", ""), ("derived", "")."""
        from openpyxl.styles import Font

        counts: Counter = Counter()
        values = {}
        for e in extracts:
            for x in e.economics:
                values.setdefault((x.store, x.sku, x.key), (x, e.report))       # the first report's value
        if not values:
            return counts
        ws = self.wb[self.found["SKUs"]]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        header, cols, _, _, _ = find_header(Grid(ws.title, rows), SKUS)
        if header is None:
            raise ReportError("import_skus_no_header", book=self.name, sheet=ws.title)
        cols = {k: v + 1 for k, v in cols.items()}
        for key in DERIVED_KEYS:
            if key not in cols and any(k == key for _, _, k in values):
                col = max(cols.values()) + 1
                while ws.cell(header + 1, col).value not in (None, ""):
                    col += 1
                column = SKUS.column(key)
                ws.cell(header + 1, col, column.zh if self.lang == "zh" else column.key).font = Font(bold=True)
                cols[key] = col
        where: dict[tuple[str, str], int] = {}
        last = header + 1
        for r in range(header + 2, ws.max_row + 1):
            store, sku = ws.cell(r, cols["store"]).value, ws.cell(r, cols["sku"]).value
            if store not in (None, "") or sku not in (None, ""):
                last = r
                where.setdefault((str(store).strip(), str(sku).strip()), r)
        record = self.imports_sheet()
        earlier = derived_lines([list(r) for r in record.iter_rows(values_only=True)])
        lines = {k: d.row for k, d in earlier.items()}
        next_line = max([1, *lines.values(), *(r for r in range(1, record.max_row + 1)
                                               if record.cell(r, DERIVED_FIRST_COLUMN).value not in (None, ""))]) + 1
        for (store, sku, key), (x, report) in values.items():
            r = where.get((store, sku))
            if r is None:
                last += 1
                r = where[(store, sku)] = last
                for k, v in (("store", store), ("sku", sku)):
                    ws.cell(r, cols[k], v).data_type = "s"
            cell = ws.cell(r, cols[key])
            line = earlier.get((store, sku, key))
            derived_before = line is not None and same_value(cell.value, line.value)
            if not (cell.value in (None, "") or (isinstance(cell.value, str) and not cell.value.strip())
                    or (refresh and derived_before)):
                counts[("derived" if derived_before else "typed", "")] += 1
                continue
            cell.value = x.value
            cell.number_format = "0.00%" if SKUS.column(key).kind == "rate" else "#,##0.00"
            counts[("written", key)] += 1
            at = lines.get((store, sku, key))
            if at is None:
                at = lines[(store, sku, key)] = next_line
                next_line += 1
            for j, v in enumerate((store, sku, key, x.value, report, x.period)):
                c = record.cell(at, DERIVED_FIRST_COLUMN + j, v)
                if isinstance(v, str):
                    c.data_type = "s"
        return counts

    # ---------------------------------------------------------------- Imports

    def imports_sheet(self):
        """The Imports sheet, made (with its two tables' headers) when the book has none."""
        from openpyxl.styles import Font

        title = imports_sheet_name(self.wb.sheetnames)
        if title is not None:
            ws = self.wb[title]
        else:
            ws = self.wb.create_sheet(IMPORTS_SHEET[self.lang])
            for j, c in enumerate(IMPORTS_COLUMNS, start=1):
                ws.cell(1, j, _word("imports_column", c, self.lang)).font = Font(bold=True)
            for letter, width in zip("ABCDEFG", (40, 22, 8, 24, 24, 8, 70)):
                ws.column_dimensions[letter].width = width
        if ws.cell(1, DERIVED_FIRST_COLUMN).value in (None, ""):
            for j, c in enumerate(DERIVED_COLUMNS):
                en, zh = DERIVED_HEADERS[c]
                ws.cell(1, DERIVED_FIRST_COLUMN + j, zh if self.lang == "zh" else en).font = Font(bold=True)
            for j, width in enumerate((16, 16, 16, 10, 40, 20)):
                ws.column_dimensions[get_column_letter(DERIVED_FIRST_COLUMN + j)].width = width
        return ws

    def write_record(self, lines: list[list]) -> None:
        """The Imports sheet: one line per report (a report imported again replaces its line)."""
        ws = self.imports_sheet()
        where = {str(ws.cell(r, 1).value): r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value}
        for line in lines:
            r = where.get(str(line[0])) or max([1, *where.values()]) + 1
            where[str(line[0])] = r
            for j, v in enumerate(line, start=1):
                cell = ws.cell(r, j, v)
                if isinstance(v, str):
                    cell.data_type = "s"

    def save(self, path: Path) -> None:
        self.wb.save(path)


def _figure(value: float, measure: str) -> float | int:
    """A summed figure as written: whole units as a whole number, money to the cent (sums of cents carry
    binary noise)."""
    if measure == "units" and float(value).is_integer():
        return int(value)
    return round(float(value), 2)


def _word(kind: str, value: str, lang: str) -> str:
    en, zh = TERMS[kind][value]
    return zh if lang == "zh" else en
