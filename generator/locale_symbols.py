"""zh_CN's number symbols (the group and decimal separators of every printed amount), from babel.

babel's locale data takes ~20 ms to import and load at every start, for two characters. They
are looked up once per program version and kept in the template cache (folder "locale"), so a
later process reads them from there; without a cache (``JUESUAN_CACHE_DIR=off``) babel is asked.
"""

from __future__ import annotations

from functools import lru_cache

from . import template_cache

LOCALE = "zh_CN"


def from_babel(locale: str = LOCALE) -> tuple[str, str]:
    """(group, decimal) as babel's CLDR data gives them."""
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    parsed = Locale.parse(locale)
    return get_group_symbol(parsed), get_decimal_symbol(parsed)


@lru_cache(maxsize=1)
def separators() -> tuple[str, str]:
    """(group, decimal) for zh_CN: from the cache when this program version has looked them up."""
    key = template_cache.entry_key(LOCALE.encode(), "number symbols")
    hit = template_cache.load(key, "locale")
    if hit is not None:
        found = hit[0].get("symbols")
        if isinstance(found, list) and len(found) == 2 and all(isinstance(s, str) and len(s) == 1 for s in found):
            return found[0], found[1]
    group, decimal = from_babel()
    template_cache.store(key, {"symbols": [group, decimal]}, None, "locale")
    return group, decimal
