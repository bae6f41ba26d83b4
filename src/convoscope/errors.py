"""The error tree. Each error knows its HTTP status and the Symbl-style message it shows.

    ConvoscopeError (500)
    ├── BadRequest (400)
    │   └── InvalidParameter: names the request parameter that is wrong
    ├── Unauthorized (401)
    ├── NotFound (404)
    │   ├── ConversationNotFound
    │   ├── JobNotFound
    │   └── MemberNotFound
    ├── PayloadTooLarge (413)
    ├── TooManyJobs (429)
    ├── TooManyRequests (429)
    ├── InsufficientStorage (507)
    ├── ServiceUnavailable (503)
    └── ResultTimeout (504)

The API renders every one of them as `{"message": ...}`; nothing else leaks to clients.
"""

from __future__ import annotations


class ConvoscopeError(Exception):
    status_code = 500
    default_message = "Internal server error."

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def body(self) -> dict[str, object]:
        return {"message": self.message}


class BadRequest(ConvoscopeError):
    status_code = 400
    default_message = "Bad request."


class InvalidParameter(BadRequest):
    """A request parameter that is missing or wrong: `param` names it, `code` (optional) classifies it
    for APIs whose errors carry one (the OpenAI-style audio routes)."""

    def __init__(self, message: str, *, param: str | None, code: str | None = None) -> None:
        super().__init__(message)
        self.param = param
        self.code = code


class Unauthorized(ConvoscopeError):
    status_code = 401
    default_message = "Token validation failed for provided token."


class NotFound(ConvoscopeError):
    status_code = 404
    default_message = "Not found."


class ConversationNotFound(NotFound):
    default_message = "The conversationId is either invalid or does not exist."


class JobNotFound(NotFound):
    default_message = "The jobId is either invalid or does not exist."


class MemberNotFound(NotFound):
    default_message = "The memberId is either invalid or does not exist."


class PayloadTooLarge(ConvoscopeError):
    status_code = 413
    default_message = "Request body is too large."


class TooManyJobs(ConvoscopeError):
    status_code = 429

    def __init__(self, limit: int) -> None:
        super().__init__(
            f"This API has a limit of maximum of `{limit}` number of concurrent jobs per account. "
            "Please wait for the running jobs to complete and try again."
        )

    def body(self) -> dict[str, object]:
        return {"statusCode": self.status_code, "message": self.message}


class TooManyRequests(ConvoscopeError):
    status_code = 429
    default_message = "Too many requests. Please slow down and retry later."

    def __init__(self, message: str | None = None, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    def body(self) -> dict[str, object]:
        return {"statusCode": self.status_code, "message": self.message}


class InsufficientStorage(ConvoscopeError):
    status_code = 507
    default_message = "The server has no room to store this media right now. Nothing was stored; retry later."


class ServiceUnavailable(ConvoscopeError):
    status_code = 503
    default_message = "The service is temporarily unavailable. Please retry shortly."


class ResultTimeout(ConvoscopeError):
    status_code = 504
    default_message = "The result was not ready in time."
