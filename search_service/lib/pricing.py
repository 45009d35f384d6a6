"""Pricing rules, written once: the indexer, the course pages and the cart all use these."""

from __future__ import annotations

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "BRL": "R$"}
# The same rule as effective_price_cents, for SQL over a ``courses c`` row.
EFFECTIVE_PRICE_SQL = (
    "CASE WHEN c.sale_price_cents IS NULL THEN c.list_price_cents "
    "ELSE least(c.sale_price_cents, c.list_price_cents) END"
)


def effective_price_cents(list_cents: int, sale_cents: int | None) -> int:
    """What a shopper pays: the sale price when there is one (never above the list price)."""
    return list_cents if sale_cents is None else min(sale_cents, list_cents)


def discount_percent(list_cents: int, effective_cents: int) -> int:
    """Whole percent off the list price (0 when there is no sale)."""
    if list_cents <= 0 or effective_cents >= list_cents:
        return 0
    return round(100 * (list_cents - effective_cents) / list_cents)


def coupon_discount(price_cents: int, percent: int) -> int:
    """Whole cents a coupon takes off a price, rounded half up."""
    return (price_cents * percent + 50) // 100


def price_bound(cents: int) -> str:
    """A price filter's bound in US dollars: ``$0``, ``$20``, ``$19.99``."""
    return f"${cents // 100:,}" if cents % 100 == 0 else f"${cents / 100:,.2f}"


def amount_display(cents: int, currency: str) -> str:
    """``$19.99``, ``$0.00``, or ``19.99 CHF`` for currencies without a symbol: money."""
    amount = f"{cents / 100:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def price_display(cents: int, currency: str) -> str:
    """``Free``, ``$19.99``, or ``19.99 CHF`` for currencies without a symbol: a price."""
    return "Free" if cents == 0 else amount_display(cents, currency)
