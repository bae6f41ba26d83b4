"""What can go wrong talking to a server, each with the exit code scripts can rely on.

ClientError (5: server unreachable or failing)
├── UsageProblem (2)
├── AuthFailed (3)
├── NotFound (4)
└── JobFailed (1)
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_JOB_FAILED = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_NOT_FOUND = 4
EXIT_SERVER = 5


class ClientError(Exception):
    exit_code = EXIT_SERVER

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class UsageProblem(ClientError):
    exit_code = EXIT_USAGE


class AuthFailed(ClientError):
    exit_code = EXIT_AUTH


class NotFound(ClientError):
    exit_code = EXIT_NOT_FOUND


class JobFailed(ClientError):
    exit_code = EXIT_JOB_FAILED
