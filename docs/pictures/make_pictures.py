"""Make the documentation's pictures from the bundled sample, so they show what goalsheet writes today.

    .venv/bin/python docs/pictures/make_pictures.py

Plans `sample_workbooks/demo_seller.xlsx` (English) and `demo_seller_zh.xlsx` (Chinese), has LibreOffice print each
plan to PDF (headless, on a profile of its own, so an open LibreOffice is not disturbed) and turns the pages the docs
show into PNGs with poppler's `pdftoppm`:

    docs/summary-en.png   the Summary of the English plan (README)
    docs/monthly-en.png   the Monthly sheet of the English plan
    docs/summary-zh.png   the Summary of the Chinese plan

Needs `soffice` (LibreOffice) and `pdftoppm` (poppler-utils) on PATH.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
# (sample, picture, page of the printed plan): the Summary prints first, the Monthly sheet after its two pages
PICTURES = (("demo_seller.xlsx", "summary-en.png", 1), ("demo_seller.xlsx", "monthly-en.png", 3),
            ("demo_seller_zh.xlsx", "summary-zh.png", 1))


def main() -> int:
    soffice, pdftoppm = shutil.which("soffice"), shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        print("needs soffice (LibreOffice) and pdftoppm (poppler-utils) on PATH", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        printed: dict[str, Path] = {}
        for sample in sorted({p[0] for p in PICTURES}):
            plan = tmp_path / sample.replace(".xlsx", "-plan.xlsx")
            subprocess.run([sys.executable, "-m", "goalsheet", "plan", str(ROOT / "sample_workbooks" / sample),
                            "-o", str(plan)], check=True, capture_output=True)
            subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                            "--convert-to", "pdf", "--outdir", str(tmp_path), str(plan)],
                           check=True, capture_output=True, timeout=600)
            printed[sample] = plan.with_suffix(".pdf")
        for sample, picture, page in PICTURES:
            stem = tmp_path / picture.removesuffix(".png")
            subprocess.run([pdftoppm, "-png", "-r", "90", "-f", str(page), "-l", str(page), "-singlefile",
                            str(printed[sample]), str(stem)], check=True)
            shutil.copyfile(stem.with_suffix(".png"), DOCS / picture)
            print(f"wrote {DOCS / picture}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
