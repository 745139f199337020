"""jieba's own dictionary (not the app's user words), loaded once per process for every reader.

Place names (``search.places``: a village name that reads as ordinary words) and people
(``people.extract``: a name that jieba knows as a common word, a title inside a word) ask jieba's
main dictionary for a word's frequency and part-of-speech tag, and places cut short names with its
part-of-speech tokenizer.  Each used to load the dictionary for itself — about 2 CPU s apiece (the
prefix dictionary from jieba's cache, then the tag of each of its 349,046 words); one private
tokenizer now serves both.  Never jieba's module-level tokenizer or setters: ``jieba.Tokenizer()`` is
ours, and nobody adds words to it (the 词云 tokenizer with the user dictionary is
``words.segment.get_tokenizer``).
"""

from __future__ import annotations

import threading

_LOCK = threading.Lock()


_POS = None  # the POSTokenizer, once loaded


def _loaded():
    global _POS
    if _POS is None:
        with _LOCK:  # two threads' first use (a page run, a background build) load it once
            if _POS is None:
                _POS = _load()
    return _POS


def _load():
    import jieba
    import jieba.posseg

    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return jieba.posseg.POSTokenizer(tokenizer)  # reads each word's tag from the same file


def pos_tokenizer():
    """The part-of-speech tokenizer over jieba's own dictionary (``cut`` gives word/flag pairs)."""
    return _loaded()


def frequencies() -> dict[str, int]:
    """Word → frequency in jieba's main dictionary (its prefixes have 0; shared: do not modify)."""
    return _loaded().tokenizer.FREQ


def tags() -> dict[str, str]:
    """Word → part-of-speech tag in jieba's main dictionary (shared: do not modify)."""
    return _loaded().word_tag_tab
