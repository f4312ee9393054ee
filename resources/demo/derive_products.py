"""Derive the demo catalogue (products.csv) from the UCI "Online Retail" sample.

One-off, kept so anyone can regenerate the file and see exactly what was done to the source:

    python resources/demo/derive_products.py online_retail_sample_2000_invoices.csv

It keeps one row per stock code that names a real product, with the most common positive unit
price of that code (GBP) and its most common product-like description, rewritten from
SHOUTING CAPS into sentence case. Postage, fees, manual adjustments and notes are dropped.
NOTICE.md next to this file carries the licence and attribution.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path

# Stock codes that are charges, fees or adjustments, not goods on a shelf.
NOT_PRODUCTS = frozenset(
    {
        "POST",
        "DOT",
        "M",
        "D",
        "C2",
        "S",
        "PADS",
        "CRUK",
        "BANK CHARGES",
        "AMAZONFEE",
        "B",
        "m",
        "gift_0001_10",
        "gift_0001_20",
        "gift_0001_30",
        "gift_0001_40",
        "gift_0001_50",
    }
)
# Words that mark a description as a note or a charge rather than a product.
NOTE_WORDS = re.compile(
    r"\b(postage|carriage|discount|manual|samples|adjust(ment)?|amazon|fee|bank charges|dotcom)\b",
    re.IGNORECASE,
)
# Words kept capitalised (places, festivals, names) or upper case (sizes, initials).
PROPER = {
    "london": "London",
    "paris": "Paris",
    "christmas": "Christmas",
    "xmas": "Xmas",
    "easter": "Easter",
    "valentine": "Valentine",
    "scandinavian": "Scandinavian",
    "french": "French",
    "english": "English",
    "victorian": "Victorian",
    "edwardian": "Edwardian",
    "regency": "Regency",
    "jack": "Jack",
    "union": "Union",
    "babushka": "Babushka",
    "moroccan": "Moroccan",
    "indian": "Indian",
    "chinese": "Chinese",
    "japanese": "Japanese",
    "swiss": "Swiss",
    "danish": "Danish",
    "spaceboy": "Spaceboy",
    "i": "I",
    "ii": "II",
    "uk": "UK",
    "usa": "USA",
    "led": "LED",
    "abc": "ABC",
    "diy": "DIY",
    "xl": "XL",
    "mr": "Mr",
    "mrs": "Mrs",
    "santa": "Santa",
    "rudolph": "Rudolph",
    "alice": "Alice",
    "wonderland": "Wonderland",
    "dolly": "Dolly",
    "bertie": "Bertie",
    "tv": "TV",
}
ABBREVIATIONS = [
    (re.compile(r"\bS/(\d+)\b"), r"SET OF \1"),
    (re.compile(r"\bSET/(\d+)\b"), r"SET OF \1"),
    (re.compile(r"\bSET (\d+)\b"), r"SET OF \1"),
    (re.compile(r"\bPC\b"), "PIECE"),
    (re.compile(r"\bASS(OR)?TD?\b"), "ASSORTED"),
    (re.compile(r"\bCHILDRENS\b"), "CHILDREN'S"),
]
CENT = Decimal("0.01")


def is_product_description(text: str) -> bool:
    """A shelf product's description is written in capitals; notes are in lower case."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 3 or "?" in text or NOTE_WORDS.search(text):
        return False
    lower = sum(1 for c in letters if c.islower())
    return lower / len(letters) < 0.25


def readable_name(text: str) -> str:
    """'SET OF 72 GREEN PAPER DOILIES' -> 'Set of 72 green paper doilies'."""
    text = " ".join(text.replace(" ,", ",").split())
    for pattern, replacement in ABBREVIATIONS:
        text = pattern.sub(replacement, text)
    words = []
    for word in text.split(" "):
        lowered = word.lower()
        core = lowered.strip(",.()'\"")
        words.append(lowered.replace(core, PROPER[core], 1) if core in PROPER else lowered)
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def most_common_price(prices: Counter[Decimal]) -> Decimal | None:
    """The price the code sold at most often; ties go to the lower price."""
    positive = [(n, -p, p) for p, n in prices.items() if p > 0]
    if not positive:
        return None
    price = max(positive)[2].quantize(CENT, rounding=ROUND_HALF_UP)
    return price if price > 0 else None


def derive(source: Path) -> list[tuple[str, str, Decimal]]:
    prices: dict[str, Counter[Decimal]] = defaultdict(Counter)
    cancelled_prices: dict[str, Counter[Decimal]] = defaultdict(Counter)
    descriptions: dict[str, Counter[str]] = defaultdict(Counter)
    with source.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["StockCode"].strip().upper()
            if code in NOT_PRODUCTS or not re.fullmatch(r"\d{5}[A-Z]{0,2}", code):
                continue
            description = row["Description"].strip()
            if is_product_description(description):
                descriptions[code][description] += 1
            try:
                price = Decimal(row["UnitPrice"])
            except InvalidOperation:
                continue
            if row["InvoiceNo"].startswith("C") or int(row["Quantity"]) <= 0:
                cancelled_prices[code][price] += 1  # only if the code never sold
            else:
                prices[code][price] += 1
    products = []
    for code in sorted(descriptions):
        price = most_common_price(prices[code] or cancelled_prices[code])
        if price is None:
            continue
        description, _ = max(descriptions[code].items(), key=lambda item: (item[1], item[0]))
        products.append((code, readable_name(description), price))
    return products


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="the Online Retail CSV (InvoiceNo,StockCode,...)")
    parser.add_argument(
        "-o", "--output", type=Path, default=Path(__file__).with_name("products.csv")
    )
    args = parser.parse_args(argv)
    products = derive(args.source)
    with args.output.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["sku", "name", "price"])
        writer.writerows((sku, name, str(price)) for sku, name, price in products)
    print(f"{len(products)} products written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
