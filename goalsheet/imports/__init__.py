"""`goalsheet import`: Seller Central reports, as downloaded, into the input workbook (SPEC.md section 1).

    raw.py              a report file -> its tables of cells (xlsx/xls/ods, csv/tsv/txt in any of the sellers'
                        encodings, a .zip of several)
    recognise.py        which report a table is, by its header row (preamble lines skipped)
    business_report.py  Business Report, Detail Page Sales and Traffic by Child Item -> units, revenue
    all_orders.py       All Orders flat file -> units, revenue (shipped and unshipped lines)
    transactions.py     Date Range transaction report -> units, revenue (Order lines), refunds (Refund lines)
    advertising.py      Sponsored Products Advertised product report -> ad_spend
    fee_preview.py      FBA Fee Preview -> SKU economics (price, FBA fee, referral rate)
    lingxing.py, jijia.py, mabang.py
                        the ERP exports: Lingxing 产品表现 and 积加 sales by MSKU and date, Mabang orders;
                        erp.py holds what they share (shop and country -> store, MSKU before local SKU)
    dates.py, stores.py, marketplace.py, values.py
                        months of Amazon's dates and file names; the store of a row, a file, a currency; cells
    extract.py          what one report gives: figures per month × store × SKU, and what it left out
    book.py             the input workbook: made from the init layout, or edited in place; the Imports sheet

`import_reports(...)` reads every report first and writes the book only when all of them could be read, so an
import writes everything or nothing.
"""
from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from goalsheet.imports.extract import Extract, Source
from goalsheet.imports.problems import ReportError
from goalsheet.words import console

IMPORTED_PROPERTY = "goalsheet_imported"     # the store-month-measures earlier imports wrote (a custom property)


@dataclass
class ImportResult:
    lang: str
    lines: list[str] = field(default_factory=list)
    extracts: list[Extract] = field(default_factory=list)


def import_reports(reports: list[Path], into: Path, store: str | None = None, month: str | None = None,
                   force: bool = False, lang: str | None = None, refresh: bool = False,
                   today: str | None = None) -> ImportResult:
    """Import `reports` into the book `into` (made from the init layout in `lang`, default Chinese, when it does
    not exist).  SKU values a report states go into blank SKUs cells (`refresh`: also over the values an earlier
    import derived); `today` (YYYY-MM-DD, default the day) dates the fees a report gives as of now.  Raises
    ReportError (one line) before anything is written when a report or the book cannot be used."""
    from goalsheet.imports.book import Book
    from goalsheet.imports.raw import read_report
    from goalsheet.imports.recognise import recognise

    recognised = []
    for path in reports:
        for table in read_report(path):
            found = recognise(table)
            if found is None:
                raise ReportError("import_unrecognised", report=table.name)
            recognised.append(found)
    with tempfile.TemporaryDirectory(prefix="goalsheet-import-") as tmp:
        new = not into.exists()
        if new:
            from goalsheet.inputs.blank import write_blank

            blank = Path(tmp) / "book.xlsx"
            write_blank(blank, lang=lang or "zh")
            book = Book(blank, new=True, lang=lang or "zh")
        else:
            book = Book(into, new=False, lang=lang or "en")
        lang = lang or book.lang
        if new:
            # the init layout's example store is no store of the seller's: a new book's store is the one named
            # (its marketplace US until the seller fills in the Stores sheet)
            from goalsheet.imports.stores import BookStores
            book.stores = BookStores({store: "US"}, {store: "USD"}) if store else BookStores({}, {})
        if store is not None:
            named = book.stores.named(store)
            if named is None:
                raise ReportError("import_unknown_store", store=store, book=into.name)
            store = named
        extracts = []
        for found in recognised:
            source = Source(book.stores, found.table.file_name, store, month, today)
            extract = found.kind.extract(found.table.rows, found.header, found.cols, source, found.table.name)
            if store is not None and not len(extract.sales) and not extract.economics and any(
                    reason == "other_marketplace" for reason, _ in extract.left_out):
                raise ReportError("import_other_marketplace", report=found.table.name, store=store,
                                  market=book.stores.market[store])
            extracts.append(extract)
        _drop_repeats(extracts)
        imported = _imported_keys(book)
        if not force:
            _refuse_typed(book, extracts, imported, into.name)
        book.write_sales(extracts)
        derived = book.write_economics(extracts, refresh)
        book.write_record([_record_line(e, lang) for e in extracts])
        for e in extracts:
            for m, s in set(zip(e.sales["month"], e.sales["store"])) if len(e.sales) else ():
                imported |= {f"{s}|{m}|{measure}" for measure in e.measures}
        _set_imported_keys(book, imported)

        from goalsheet.report import made_beside
        made_beside(into, book.save)
    result = ImportResult(lang, extracts=extracts)
    for e in extracts:
        result.lines.append(console("import_took", lang, report=e.report, kind=_term("report_kind", e.kind, lang),
                                    rows=e.rows, months=_months_text(e.months()), stores=", ".join(e.store_names()),
                                    skus=e.skus()))
        for code, args in e.notes:
            result.lines.append(console(code, lang, **args))
        for (reason, detail), count in sorted(e.left_out.items()):
            result.lines.append(console("import_left_out", lang, count=count,
                                        reason=_term("left_out", reason, lang), detail=f" ({detail})" if detail else ""))
    written = {key: n for (what, key), n in derived.items() if what == "written"}
    if written or derived:
        result.lines.append(console(
            "import_derived", lang, count=sum(written.values()),
            columns=", ".join(f"{_sku_column(k, lang)} {n}" for k, n in sorted(written.items())) or "-",
            typed=derived[("typed", "")], earlier=derived[("derived", "")]))
    result.lines.append(console("wrote", lang, path=into))
    return result


def _drop_repeats(extracts: list[Extract]) -> None:
    """A store-month two reports of this import both give (the same measure) is taken from the first only."""
    claimed: dict[tuple[str, str], set[str]] = {}
    for e in extracts:
        if not len(e.sales):
            continue
        pairs = list(zip(e.sales["month"], e.sales["store"]))
        repeat = [bool(claimed.get(p, set()) & set(e.measures)) for p in pairs]
        for (m, s), rep in zip(pairs, repeat):
            if rep:
                e.left_out[("duplicated_month", f"{s} {m}")] += 1
        e.sales = e.sales[[not r for r in repeat]].reset_index(drop=True)
        for p in set(zip(e.sales["month"], e.sales["store"])):
            claimed.setdefault(p, set()).update(e.measures)


def _imported_keys(book) -> set[str]:
    props = getattr(book.wb, "custom_doc_props", None)
    if props is None:
        return set()
    for prop in props.props:
        if prop.name == IMPORTED_PROPERTY:
            try:
                return set(json.loads(prop.value))
            except (TypeError, ValueError):
                return set()
    return set()


def _set_imported_keys(book, keys: set[str]) -> None:
    from openpyxl.packaging.custom import StringProperty

    props = book.wb.custom_doc_props
    for prop in list(props.props):
        if prop.name == IMPORTED_PROPERTY:
            props.props.remove(prop)
    props.append(StringProperty(name=IMPORTED_PROPERTY, value=json.dumps(sorted(keys), ensure_ascii=False)))


def _refuse_typed(book, extracts: list[Extract], imported: set[str], book_name: str) -> None:
    """A figure the seller typed (not one an earlier import wrote) of an imported store-month is replaced only
    with --force."""
    from goalsheet.inputs.values import BadValue, parse_month

    ws = book.sales
    wanted = {}
    for e in extracts:
        for m, s in set(zip(e.sales["month"], e.sales["store"])) if len(e.sales) else ():
            wanted.setdefault((s, m), set()).update(e.measures)
    for r in range(book.header_row + 1, ws.max_row + 1):
        try:
            month = parse_month(ws.cell(r, book.cols["month"]).value)
        except BadValue:
            continue
        store = str(ws.cell(r, book.cols["store"]).value or "").strip()
        for measure in wanted.get((store, month), ()):
            col = book.cols.get(measure)
            if col and ws.cell(r, col).value not in (None, "") and f"{store}|{month}|{measure}" not in imported:
                raise ReportError("import_would_replace", book=book_name, store=store, month=month,
                                  measure=_term("measure", measure, book.lang), cell=f"{ws.title}!{ws.cell(r, col).coordinate}")


def _record_line(e: Extract, lang: str) -> list:
    left = "; ".join(f"{count} × {_term('left_out', reason, lang)}{f' ({detail})' if detail else ''}"
                     for (reason, detail), count in sorted(e.left_out.items()))
    return [e.report, _term("report_kind", e.kind, lang), e.rows, _months_text(e.months()),
            ", ".join(e.store_names()), e.skus(), left]


def _months_text(months: list[str]) -> str:
    if not months:
        return "-"
    return months[0] if len(months) == 1 else f"{months[0]} … {months[-1]} ({len(months)})"


def _sku_column(key: str, lang: str) -> str:
    from goalsheet.inputs.schema import SKUS
    return SKUS.column(key).zh if lang == "zh" else key


def _term(kind: str, value: str, lang: str) -> str:
    from goalsheet.words import Term
    return Term(kind, value).text(lang)
