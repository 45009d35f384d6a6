"""The API documentation page: Swagger UI from the CDN, pinned by integrity hashes, with no
inline script (its start-up code is our own static file), so it runs under a strict CSP."""

from __future__ import annotations

from html import escape
from typing import Any

from litestar import Request
from litestar.openapi.plugins import SwaggerRenderPlugin

SWAGGER_VERSION = "5.18.2"
_CDN = f"https://cdn.jsdelivr.net/npm/swagger-ui-dist@{SWAGGER_VERSION}"
# sha384 of the npm package's files, which the CDN serves byte for byte.
INTEGRITY = {
    "swagger-ui-bundle.js": (
        "sha384-NXtFPpN61oWCuN4D42K6Zd5Rt2+uxeIT36R7kpXBuY9tLnZorzrJ4ykpqwJfgjpZ"
    ),
    "swagger-ui-standalone-preset.js": (
        "sha384-qr68CD0cvHa88PmVu7e1a58Ego4qvKtcvcLdS2a8Mo5zILI01gyIV9jVwJk7X2NU"
    ),
    "swagger-ui.css": "sha384-rcbEi6xgdPk0iWkAQzT2F3FeBJXdG+ydrawGlfHAFIZG7wU6aKbQaRewysYpmrlW",
}
CDN_ORIGIN = "https://cdn.jsdelivr.net"


def _pinned(attribute: str, name: str) -> str:
    return f'{attribute}="{_CDN}/{name}" integrity="{INTEGRITY[name]}" crossorigin="anonymous"'


class PinnedSwagger(SwaggerRenderPlugin):
    """Swagger UI at ``/schema/swagger``."""

    def __init__(self, init_script: str, spec_url: str, **kwargs: Any) -> None:
        super().__init__(version=SWAGGER_VERSION, **kwargs)
        self.init_script = init_script
        self.spec_url = spec_url

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" {_pinned("href", "swagger-ui.css")}>
<script {_pinned("src", "swagger-ui-bundle.js")}></script>
<script {_pinned("src", "swagger-ui-standalone-preset.js")}></script>
<script src="{escape(self.init_script)}" defer></script>
</head><body data-spec="{escape(self.spec_url)}"><div id="swagger-container"></div></body></html>
""".encode()
