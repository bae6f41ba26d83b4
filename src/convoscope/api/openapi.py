"""The OpenAPI document, with the request bodies the routes read themselves.

Submits merge the query string into the body and every body is read with a size limit, so routes
take their bodies from `api.params` rather than from FastAPI; `request_body` names the model a route
reads, and `install_openapi` adds those models to the document's components, beside the responses.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

_BODIES: dict[str, type[BaseModel]] = {}


def request_body(model: type[BaseModel], *, required: bool = True) -> dict[str, Any]:
    """A route's `openapi_extra` for a JSON body shaped like `model`."""
    _BODIES[model.__name__] = model
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": required, "content": {"application/json": {"schema": schema}}}}


def install_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            components = document.setdefault("components", {}).setdefault("schemas", {})
            _, bodies = models_json_schema(
                [(model, "validation") for model in _BODIES.values()],
                ref_template="#/components/schemas/{model}",
            )
            for name, schema in bodies.get("$defs", {}).items():
                if components.setdefault(name, schema) != schema:
                    raise RuntimeError(f"Two different schemas are named {name!r} in the OpenAPI document")
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
