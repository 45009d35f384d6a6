"""Settings: read once from SKILLSPRING_*, bad values named with what is allowed."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from search_service.lib.errors import SettingsError
from search_service.settings import load_settings


def test_defaults_when_nothing_is_set() -> None:
    settings = load_settings({})
    assert settings.database.url is None
    assert settings.data_dir == Path(".skillspring")
    assert settings.search.engine == "tantivy"
    assert settings.search.index_name == "courses"
    assert (settings.server.host, settings.server.port) == ("127.0.0.1", 8000)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+asyncpg://u:p@db:5432/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+asyncpg://u@db/app"),
        ("postgres://u@db/app", "postgresql+asyncpg://u@db/app"),
        (
            "postgresql://postgres@/app?host=/tmp/pg",
            "postgresql+asyncpg://postgres@/app?host=/tmp/pg",
        ),
    ],
)
def test_database_url_is_normalised_for_asyncpg(raw: str, expected: str) -> None:
    assert load_settings({"SKILLSPRING_DATABASE_URL": raw}).database.url == expected


@pytest.mark.parametrize(
    ("variable", "value", "allowed"),
    [
        ("SKILLSPRING_SEARCH_ENGINE", "elastic", "tantivy, meilisearch"),
        ("SKILLSPRING_DATABASE_URL", "mysql://db/app", "postgresql://"),
        ("SKILLSPRING_PORT", "eighty", "from 1 to 65535"),
        ("SKILLSPRING_PORT", "70000", "from 1 to 65535"),
        ("SKILLSPRING_MEILI_URL", "ftp://x", "http://"),
        ("SKILLSPRING_INDEX_NAME", "bad name!", "letters, digits"),
        ("SKILLSPRING_LOG_FORMAT", "xml", "text, json"),
        ("SKILLSPRING_SECURE_COOKIES", "maybe", "true or false"),
        ("SKILLSPRING_CORS_ORIGINS", "*", "each origin by name"),
        ("SKILLSPRING_CORS_ORIGINS", "https://shop.example, *", "each origin by name"),
        # A typo was taken for a name no client has: everyone behind the proxy counted as it.
        ("SKILLSPRING_TRUSTED_PROXIES", "10.0.0.2, 10.0.0.256", "IP addresses or networks"),
        ("SKILLSPRING_TRUSTED_PROXIES", "proxy", "IP addresses or networks"),
        ("SKILLSPRING_TRUSTED_PROXIES", "*", "IP addresses or networks"),
        # A short key signs CSRF tokens that can be guessed by trying keys.
        ("SKILLSPRING_SECRET_KEY", "secret", "at least 32 characters"),
    ],
)
def test_bad_value_names_variable_and_allowed_values(
    variable: str, value: str, allowed: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({variable: value})
    message = str(caught.value)
    assert message.startswith(variable)
    assert allowed in message


def test_database_password_is_not_echoed_in_errors() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"SKILLSPRING_DATABASE_URL": "mysql://user:hunter2@db/app?password=p2"})
    assert "hunter2" not in str(caught.value) and "p2" not in str(caught.value)
    # The scheme is what is wrong: it is shown ("got 'db/app'" said nothing).
    assert "(got 'mysql://db/app')" in str(caught.value)
    for url in (
        "skillspring:s3cret@db:5432/app",
        "mysql://admin:se/cret@db/x",
        "mysql://a:pa?ss@db/x",
    ):
        with pytest.raises(SettingsError) as caught:
            load_settings({"SKILLSPRING_DATABASE_URL": url})
        assert "s3cret" not in str(caught.value) and "cret" not in str(caught.value), url
        assert "pa" not in str(caught.value).split("got", 1)[1], url


def test_trusted_proxies_take_addresses_and_networks() -> None:
    settings = load_settings({"SKILLSPRING_TRUSTED_PROXIES": " 10.0.0.2, 10.1.0.0/16 ,::1 "})
    assert settings.server.trusted_list == ["10.0.0.2", "10.1.0.0/16", "::1"]
    # A network written with its host's bits: granian reads a network strictly, and took
    # "10.0.0.1/8" for a name no client has.
    spelled = load_settings({"SKILLSPRING_TRUSTED_PROXIES": "10.0.0.1/8"}).server.trusted_list
    assert spelled == ["10.0.0.0/8"]
    assert ipaddress.ip_address("10.1.2.3") in ipaddress.ip_network(spelled[0], strict=True)


def test_a_refused_secret_key_is_not_echoed() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings({"SKILLSPRING_SECRET_KEY": "hunter2-but-short"})
    assert "hunter2" not in str(caught.value)
    key = "k" * 32
    assert load_settings({"SKILLSPRING_SECRET_KEY": key}).server.secret_key == key
