"""Personal and payment data in conversation text: where it is, what kind it is, how to mask it.

    from convoscope.pipeline.pii import find_pii, mask

    spans = find_pii(["My card is 4111 1111 1111 1111.", "It expires oh four twenty seven."])
    mask(text, spans[0], "****")

Plain functions over text, written and spoken alike ("four one one one...", "two two two, four
four..."): numbers are read whatever way a transcript writes them (`numbers`), classified by their
shape, their checksums and the words around them (`numeric`), and joined by pattern finders
(`patterns`, `ids`) and a name finder (`names`). `find_pii` runs them all over consecutive messages,
so a question in one message ("What is your card number?") gives the context of the answer in the
next. The kinds are this package's own (`PiiKind`); how the API names them is the API's business.
"""

from convoscope.pipeline.pii.detect import find_pii
from convoscope.pipeline.pii.kinds import PiiKind, PiiSpan
from convoscope.pipeline.pii.redact import WordEdit, mask, word_edits

__all__ = ["PiiKind", "PiiSpan", "WordEdit", "find_pii", "mask", "word_edits"]
