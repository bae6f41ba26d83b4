"""A multipart/form-data upload read as it arrives: the `file` part streams into the media store
(never held whole in memory or spooled elsewhere, and refused once past the size limit), the other
parts are kept as short text fields."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, field

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from convoscope.errors import InvalidParameter, PayloadTooLarge
from convoscope.storage import MediaStore, MediaWriter

FILE_FIELD = "file"
MAX_FIELDS = 64
MAX_FIELD_BYTES = 64 * 1024  # a prompt is the longest text field, and far shorter
_FORM_OVERHEAD = 1024 * 1024  # what a request may carry besides the file (fields, part headers)


@dataclass
class SpeechForm:
    """The form's text fields (each name with every value given) and the stored file."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    file_key: str | None = None
    filename: str = ""
    content_type: str = ""
    size: int = 0

    def value(self, name: str) -> str | None:
        """The last value given for `name` (also as `name[]`), None when absent."""
        values = self.fields.get(name) or self.fields.get(f"{name}[]")
        return values[-1] if values else None

    def values(self, name: str) -> list[str]:
        """Every value of a list field, given as `name[]` or `name`, repeated or comma-separated."""
        given = self.fields.get(f"{name}[]", []) + self.fields.get(name, [])
        return [item.strip() for value in given for item in value.split(",") if item.strip()]


def _bad_form(message: str) -> InvalidParameter:
    return InvalidParameter(message, param=None)


class _Reader:
    """python-multipart's callbacks, filling a `SpeechForm`; the file goes to `writer` as it comes."""

    def __init__(self, store: MediaStore, max_bytes: int, stack: ExitStack) -> None:
        self.form = SpeechForm()
        self._store, self._max_bytes, self._stack = store, max_bytes, stack
        self.writer: MediaWriter | None = None
        self._headers: dict[bytes, bytes] = {}
        self._header_name = b""
        self._header_value = b""
        self._name = ""
        self._is_file = False
        self._data = bytearray()
        self._parts = 0

    def on_part_begin(self) -> None:
        self._headers, self._name, self._is_file, self._data = {}, "", False, bytearray()
        self._parts += 1
        if self._parts > MAX_FIELDS:
            raise _bad_form(f"The form has more than {MAX_FIELDS} fields.")

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        self._headers[self._header_name.strip().lower()] = self._header_value.strip()
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _disposition, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._name = options.get(b"name", b"").decode("utf-8", "replace")
        if self._name != FILE_FIELD:
            return
        if self.writer is not None:
            raise InvalidParameter("Send one file per request.", param=FILE_FIELD)
        self._is_file = True
        self.form.filename = options.get(b"filename", b"").decode("utf-8", "replace")
        self.form.content_type = self._headers.get(b"content-type", b"").decode("latin-1")
        self.writer = self._stack.enter_context(self._store.writer(self._max_bytes))

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file and self.writer is not None:
            self.writer.write(data[start:end])
            return
        if len(self._data) + end - start > MAX_FIELD_BYTES:
            raise InvalidParameter(f"The field is longer than {MAX_FIELD_BYTES} bytes.", param=self._name)
        self._data += data[start:end]

    def on_part_end(self) -> None:
        if not self._is_file and self._name:
            self.form.fields.setdefault(self._name, []).append(self._data.decode("utf-8", "replace"))


async def read_speech_form(request: Request, store: MediaStore, max_bytes: int) -> SpeechForm:
    """Read the form; its file is in the store under `form.file_key` (the caller deletes it when the
    request fails later). 400 for a body that is not a form with one non-empty `file`, 413 past
    `max_bytes`, 507 when the disk is full; on any error nothing stays in the store."""
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    boundary = params.get(b"boundary")
    if content_type != b"multipart/form-data" or not boundary:
        raise _bad_form("Send the audio as multipart/form-data, the file in a field named `file`.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes + _FORM_OVERHEAD:
        raise PayloadTooLarge(f"The file is larger than the limit of {max_bytes} bytes.")
    with ExitStack() as stack:
        reader = _Reader(store, max_bytes, stack)
        callbacks = {name: getattr(reader, name) for name in dir(reader) if name.startswith("on_")}
        parser = MultipartParser(boundary, callbacks)  # type: ignore[arg-type]
        try:
            async for chunk in request.stream():
                parser.write(chunk)
            parser.finalize()
        except FormParserError as exc:
            raise _bad_form(f"The multipart form cannot be read: {exc}") from None
        except PayloadTooLarge:
            raise PayloadTooLarge(f"The file is larger than the limit of {max_bytes} bytes.") from None
        if reader.writer is None:
            raise InvalidParameter(
                "The request has no `file` field: send the audio file in it.", param=FILE_FIELD
            )
        if reader.writer.size == 0:
            raise InvalidParameter("The uploaded file is empty.", param=FILE_FIELD)
        reader.form.size = reader.writer.size
        reader.form.file_key = reader.writer.commit()
    return reader.form
