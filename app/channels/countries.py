"""Country names as files spell them, to ISO 3166-1 alpha-2.

The table covers every country of the UCI Online Retail data (the retail CSV layout spells
Ireland "EIRE" and South Africa "RSA") and the usual English names. "Channel Islands",
"European Community" and "Unspecified" are not one country: they map to no code, and the
review rules then see an address without a country.
"""

from __future__ import annotations

_NO_COUNTRY = frozenset({"channel islands", "european community", "unspecified", ""})

_NAMES: dict[str, str] = {
    "australia": "AU",
    "austria": "AT",
    "bahrain": "BH",
    "belgium": "BE",
    "brazil": "BR",
    "canada": "CA",
    "china": "CN",
    "cyprus": "CY",
    "czech republic": "CZ",
    "czechia": "CZ",
    "denmark": "DK",
    "eire": "IE",
    "ireland": "IE",
    "estonia": "EE",
    "finland": "FI",
    "france": "FR",
    "germany": "DE",
    "greece": "GR",
    "guernsey": "GG",
    "hong kong": "HK",
    "hungary": "HU",
    "iceland": "IS",
    "india": "IN",
    "israel": "IL",
    "italy": "IT",
    "japan": "JP",
    "jersey": "JE",
    "korea": "KR",
    "south korea": "KR",
    "latvia": "LV",
    "lebanon": "LB",
    "lithuania": "LT",
    "luxembourg": "LU",
    "malta": "MT",
    "mexico": "MX",
    "netherlands": "NL",
    "the netherlands": "NL",
    "new zealand": "NZ",
    "norway": "NO",
    "poland": "PL",
    "portugal": "PT",
    "romania": "RO",
    "rsa": "ZA",
    "south africa": "ZA",
    "saudi arabia": "SA",
    "singapore": "SG",
    "slovakia": "SK",
    "slovenia": "SI",
    "spain": "ES",
    "sweden": "SE",
    "switzerland": "CH",
    "ukraine": "UA",
    "united arab emirates": "AE",
    "united kingdom": "GB",
    "great britain": "GB",
    "uk": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
}


class UnknownCountry(ValueError):
    """A name that is neither in the table nor a two-letter code."""


def iso2(text: str) -> str:
    """The ISO 3166-1 alpha-2 code for a name or code; "" for "not one country"."""
    key = " ".join(text.split()).lower()
    if key in _NO_COUNTRY:
        return ""
    if key in _NAMES:
        return _NAMES[key]
    if len(key) == 2 and key.isascii() and key.isalpha():
        return key.upper()
    raise UnknownCountry(
        f"{text!r} is not a country we know; write its two-letter ISO code (e.g. GB, DE, FR)"
    )
