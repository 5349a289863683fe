"""The Date Range transaction report (Seller Central: Payments > Reports Repository, report type Transaction): one
line per money movement, below seven lines of definitions.

`Order` lines give units (`quantity`) and sales (`product sales` + `promotional rebates`, the rebates negative);
`Refund` lines give `refunds` (what went back to buyers for the products, as a positive amount); every other type
(service fees, transfers, inventory fees, adjustments) is left out and counted by its type.  The month is the
date of `date/time` as written (the marketplace's own time); the store is the book's store of the
`marketplace` column.  German, French, Italian, Spanish, Japanese and Chinese reports name the same columns and
types in their language.

The report also states what each SKU paid Amazon, so it gives the SKU's economics over the months of its `Order`
lines (written into blank SKUs cells only, `goalsheet.imports.book`):

    referral_rate = −selling fees ÷ product sales          (Order lines; 4 decimals)
    fba_fee       = −FBA fees ÷ units                       (Order lines; to the cent)
    return_rate   = units of Refund lines ÷ units of Order lines    (4 decimals)

A column the report lacks, or no units or sales to divide by, gives no value.
"""
from __future__ import annotations

from goalsheet.imports.dates import month_of_date_text
from goalsheet.imports.extract import Economics, Extract, Source, body, cell, period_text, summed, unusable
from goalsheet.imports.marketplace import store_of_channel
from goalsheet.imports.values import amount, text

KIND = "transactions"
MEASURES = ("units", "revenue", "refunds")
HEADERS = {
    "date": ("date/time", "datum/uhrzeit", "date/heure", "data/ora", "fecha y hora", "fecha/hora", "日付/時間",
             "日期/时间"),
    "type": ("type", "typ", "tipo", "トランザクションの種類", "类型"),
    "sku": ("sku",),
    "quantity": ("quantity", "menge", "quantité", "quantita", "quantità", "cantidad", "数量"),
    "marketplace": ("marketplace", "marché", "marketplace", "mercado", "amazon 出品サービス", "商城", "市场"),
    "product_sales": ("product sales", "umsätze", "ventes de produits", "vendite", "ventas de productos", "商品売上",
                      "商品销售", "商品销售额"),
    "promotion": ("promotional rebates", "rabatte aus werbeaktionen", "rabais promotionnels", "sconti promozionali",
                  "devoluciones promocionales", "プロモーション割引額", "促销返点"),
    "selling_fees": ("selling fees", "verkaufsgebühren", "frais de vente", "commissioni di vendita",
                     "tarifas de venta", "手数料", "销售佣金", "销售费用"),
    "fba_fees": ("fba fees", "gebühren zu versand durch amazon", "frais expédié par amazon",
                 "costi del servizio logistica di amazon", "tarifas de logística de amazon", "fba 手数料", "fba 费用",
                 "亚马逊物流费用"),
}
REQUIRED = ("date", "type", "sku", "quantity", "marketplace", "product_sales")
ORDER = {"order", "bestellung", "commande", "ordine", "pedido", "注文", "订单"}
REFUND = {"refund", "erstattung", "remboursement", "rimborso", "reembolso", "返金", "退款"}


def extract(rows: list[list], header: int, cols: dict[str, int], source: Source, report: str) -> Extract:
    out = Extract(report, KIND, MEASURES)
    records = []
    paid: dict[tuple[str, str], dict] = {}        # (store, sku) -> what its lines add up to, for its economics

    for row in body(rows, header):
        out.rows += 1
        kind = text(cell(row, cols, "type"))
        if kind.casefold() not in ORDER | REFUND:
            out.left_out[("other_type", kind)] += 1
            continue
        store, market, why = store_of_channel(cell(row, cols, "marketplace"), source)
        if why:
            out.left_out[why] += 1
            continue
        sku = text(cell(row, cols, "sku"))
        month = month_of_date_text(cell(row, cols, "date"), market)
        quantity, sales = amount(cell(row, cols, "quantity")), amount(cell(row, cols, "product_sales"))
        promotion = amount(cell(row, cols, "promotion")) or 0.0
        if unusable(out, sku, month, quantity, sales):
            continue
        sums = paid.setdefault((store, sku), {"months": set(), "sales": 0.0, "fees": 0.0, "fba": 0.0, "units": 0.0,
                                               "returned": 0.0})
        if kind.casefold() in ORDER:
            records.append({"month": month, "store": store, "sku": sku, "units": quantity,
                            "revenue": sales + promotion, "refunds": 0.0})
            sums["months"].add(month)
            sums["sales"] += sales
            sums["units"] += quantity
            sums["fees"] += amount(cell(row, cols, "selling_fees")) or 0.0
            sums["fba"] += amount(cell(row, cols, "fba_fees")) or 0.0
        else:
            records.append({"month": month, "store": store, "sku": sku, "units": 0.0, "revenue": 0.0,
                            "refunds": -(sales + promotion)})
            sums["returned"] += abs(quantity)
    out.sales = summed(records, MEASURES)
    out.economics = _economics(paid, cols)
    return out


def _economics(paid: dict[tuple[str, str], dict], cols: dict[str, int]) -> list[Economics]:
    out = []
    for (store, sku), s in sorted(paid.items()):
        if not s["months"]:
            continue
        period = period_text(sorted(s["months"]))
        if "selling_fees" in cols and s["sales"] > 0:
            out.append(Economics(store, sku, "referral_rate", round(-s["fees"] / s["sales"], 4), period))
        if s["units"] > 0:
            if "fba_fees" in cols:
                out.append(Economics(store, sku, "fba_fee", round(-s["fba"] / s["units"], 2), period))
            out.append(Economics(store, sku, "return_rate", round(s["returned"] / s["units"], 4), period))
    return out
