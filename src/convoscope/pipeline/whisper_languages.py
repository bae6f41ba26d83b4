"""The languages Whisper recognises: its codes (mostly ISO-639-1) and the names it reports them by.

The names are Whisper's own (`english`, `haitian creole`), which is what OpenAI's speech API puts in
a verbose response's `language`. The 99 languages of the multilingual models up to v2 (`base`):
`yue` came with large-v3 and is not here.
"""

from __future__ import annotations

LANGUAGE_NAMES: dict[str, str] = {
    "en": "english", "zh": "chinese", "de": "german", "es": "spanish", "ru": "russian",
    "ko": "korean", "fr": "french", "ja": "japanese", "pt": "portuguese", "tr": "turkish",
    "pl": "polish", "ca": "catalan", "nl": "dutch", "ar": "arabic", "sv": "swedish",
    "it": "italian", "id": "indonesian", "hi": "hindi", "fi": "finnish", "vi": "vietnamese",
    "he": "hebrew", "uk": "ukrainian", "el": "greek", "ms": "malay", "cs": "czech",
    "ro": "romanian", "da": "danish", "hu": "hungarian", "ta": "tamil", "no": "norwegian",
    "th": "thai", "ur": "urdu", "hr": "croatian", "bg": "bulgarian", "lt": "lithuanian",
    "la": "latin", "mi": "maori", "ml": "malayalam", "cy": "welsh", "sk": "slovak",
    "te": "telugu", "fa": "persian", "lv": "latvian", "bn": "bengali", "sr": "serbian",
    "az": "azerbaijani", "sl": "slovenian", "kn": "kannada", "et": "estonian", "mk": "macedonian",
    "br": "breton", "eu": "basque", "is": "icelandic", "hy": "armenian", "ne": "nepali",
    "mn": "mongolian", "bs": "bosnian", "kk": "kazakh", "sq": "albanian", "sw": "swahili",
    "gl": "galician", "mr": "marathi", "pa": "punjabi", "si": "sinhala", "km": "khmer",
    "sn": "shona", "yo": "yoruba", "so": "somali", "af": "afrikaans", "oc": "occitan",
    "ka": "georgian", "be": "belarusian", "tg": "tajik", "sd": "sindhi", "gu": "gujarati",
    "am": "amharic", "yi": "yiddish", "lo": "lao", "uz": "uzbek", "fo": "faroese",
    "ht": "haitian creole", "ps": "pashto", "tk": "turkmen", "nn": "nynorsk", "mt": "maltese",
    "sa": "sanskrit", "lb": "luxembourgish", "my": "myanmar", "bo": "tibetan", "tl": "tagalog",
    "mg": "malagasy", "as": "assamese", "tt": "tatar", "haw": "hawaiian", "ln": "lingala",
    "ha": "hausa", "ba": "bashkir", "jw": "javanese", "su": "sundanese",
}  # fmt: skip

# Other ways clients name a language: ISO-639-1 `jv` is Whisper's `jw`; some send the name itself.
_ALIASES = {"jv": "jw"} | {name: code for code, name in LANGUAGE_NAMES.items()}


def whisper_language(code: str) -> str | None:
    """Whisper's code for a language a client names (`fr`, `FR`, `fr-CA`, `jv`, `french`); None when
    unknown."""
    code = code.strip().lower().replace("_", "-")
    for candidate in (code, code.split("-")[0]):
        candidate = _ALIASES.get(candidate, candidate)
        if candidate in LANGUAGE_NAMES:
            return candidate
    return None


def language_name(code: str) -> str:
    """The name Whisper gives a language code (`fr` -> `french`); the code itself when unknown."""
    return LANGUAGE_NAMES.get(code, code)
