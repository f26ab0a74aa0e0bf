"""What "Romanian for the firm's people" means in a test: none of the English words the app used to answer with."""

from __future__ import annotations

import re

# the English titles the problems had before they were translated
OLD_ENGLISH_TITLES = {
    "Internal error", "Bad request", "Validation error", "Unauthorized", "Forbidden", "Not found", "Gone",
    "Service unavailable", "Queue unavailable", "Ledger error", "Ledger unavailable", "Bad Request", "Not Found",
    "Method Not Allowed", "Content Too Large", "Request Entity Too Large", "Unsupported Media Type",
    "Too Many Requests", "Internal Server Error", "Service Unavailable",
}
# common English words of the old titles, details and pydantic messages; none is also a Romanian word
ENGLISH_WORDS = {
    "after", "again", "allowed", "and", "bad", "be", "cannot", "could", "error", "exist",
    "expected", "expired", "field", "forbidden", "found", "gone", "got", "has", "have", "input", "internal",
    "invalid", "is", "job", "large", "ledger", "many", "may", "method", "must", "needs", "no", "not", "of", "on",
    "one", "only", "or", "queue", "request", "required", "requests", "retry", "should", "shortly", "the", "this",
    "too", "try", "unauthorized", "unavailable", "understood", "unsupported", "validation", "with",
    "wrong", "you",
}


def english_words(text: str) -> set[str]:
    """The words of `text` that are in ENGLISH_WORDS (an empty set for Romanian text).

    Paths, media types, API names and ids (`/api/x`, `application/json`, `request_id`,
    `55be7ac1…`, whose letters between digits would read as "be") are not words.
    """
    plain = " ".join(token for token in text.split()
                     if "/" not in token and "_" not in token and not any(char.isdigit() for char in token))
    return {word for word in re.findall(r"[^\W\d_]+", plain.lower()) if word in ENGLISH_WORDS}


def is_romanian(text: str) -> bool:
    """True for a non-empty text with none of the English words, that is not an old English title."""
    return bool(text.strip()) and text not in OLD_ENGLISH_TITLES and not english_words(text)
