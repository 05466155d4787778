"""Errors as RFC 9457 problem details (application/problem+json) with field-level detail."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.models.validation import RecordInvalid, ValidationError

PROBLEM_BASE = "https://doorstep.example/problems/"
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """An error the API reports as problem+json; ``code`` becomes the type URI's last part."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        errors: list[dict[str, str]] | None = None,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.extra = extra or {}
        self.headers = headers or {}

    def response(self, request: Request) -> JSONResponse:
        """This problem as a response."""
        body: dict[str, Any] = {
            "type": PROBLEM_BASE + self.code,
            "title": self.title,
            "status": self.status,
            "instance": request.url.path,
        }
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return JSONResponse(
            body, status_code=self.status, media_type=MEDIA_TYPE, headers=self.headers
        )


def field_errors(invalid: RecordInvalid | ValidationError) -> list[dict[str, str]]:
    """Validation failures as the ``errors`` member: one entry per field."""
    items = invalid.errors if isinstance(invalid, RecordInvalid) else [invalid]
    return [{"field": e.field, "message": e.message} for e in items]


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def install(app: FastAPI) -> None:
    """Make every error the app raises a problem+json response."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return exc.response(request)

    @app.exception_handler(RecordInvalid)
    async def _invalid(request: Request, exc: RecordInvalid) -> JSONResponse:
        return Problem(
            422, "validation", "Some fields are not valid.", errors=field_errors(exc)
        ).response(request)

    @app.exception_handler(ValidationError)
    async def _invalid_one(request: Request, exc: ValidationError) -> JSONResponse:
        return Problem(
            422, "validation", "A field is not valid.", errors=field_errors(exc)
        ).response(request)

    @app.exception_handler(RequestValidationError)
    async def _request_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _location(tuple(e.get("loc", ()))), "message": str(e.get("msg", ""))}
            for e in exc.errors()
        ]
        return Problem(422, "validation", "The request is not valid.", errors=errors).response(
            request
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _exc: Exception) -> JSONResponse:
        # The message of an unexpected error may hold personal data: never echo it.
        return Problem(500, "internal", "Something went wrong on the platform.").response(request)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            401: "unauthorised",
            403: "forbidden",
            404: "not-found",
            405: "method-not-allowed",
            413: "too-large",
        }.get(exc.status_code, "http-error")
        return Problem(exc.status_code, code, str(exc.detail)).response(request)
