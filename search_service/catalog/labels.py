"""Human labels for facet values and prices."""

from __future__ import annotations

LANGUAGE_LABELS = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "fr": "Français",
    "pt": "Português",
    "ja": "日本語",
    "it": "Italiano",
    "zh": "中文",
}
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "BRL": "R$"}


def language_label(code: str) -> str:
    return LANGUAGE_LABELS.get(code.split("-")[0], code)


def price_display(cents: int, currency: str) -> str:
    """``Free``, ``$19.99``, or ``19.99 CHF`` for currencies without a symbol."""
    if cents == 0:
        return "Free"
    amount = f"{cents / 100:,.2f}"
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"
