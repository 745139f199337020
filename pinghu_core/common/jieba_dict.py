"""jieba's own dictionary (not the app's user words), loaded once per process for every reader.

Place names (``search.places``: a village name that reads as ordinary words) and people
(``people.extract``: a name that jieba knows as a common word, a title inside a word) ask jieba's
main dictionary for a word's frequency and part-of-speech tag, and places cut short names with its
part-of-speech tokenizer.  Each used to load the dictionary for itself — about 2 CPU s apiece (the
prefix dictionary from jieba's cache, then the tag of each of its 349,046 words); one private
tokenizer now serves both.  Never jieba's module-level tokenizer or setters: ``jieba.Tokenizer()`` is
ours, and nobody adds words to it (the 词云 tokenizer with the user dictionary is
``words.segment.get_tokenizer``).

The tags are read once per process, not twice: importing ``jieba.posseg`` already reads every word's
tag of jieba's main dictionary for its module-level tokenizer (349,046 lines, about 1 CPU s), and
``POSTokenizer(ours)`` would read the same file again.  Ours takes that table (read only, never
changed by this project) when both read jieba's own dictionary file (:func:`_tags_of_import`).
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
    tags = _tags_of_import(tokenizer)
    if tags is None:
        return jieba.posseg.POSTokenizer(tokenizer)  # reads each word's tag from the file
    # what POSTokenizer.__init__ sets (the tokenizer, the tag table), without reading the file again
    pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    pos.tokenizer, pos.word_tag_tab = tokenizer, tags
    return pos


def _tags_of_import(tokenizer) -> dict[str, str] | None:
    """The tag table ``import jieba.posseg`` read for its module-level tokenizer, when that table and
    ``tokenizer`` are both of jieba's own dictionary file (None otherwise: then read it again)."""
    import jieba
    import jieba.posseg

    imported = getattr(jieba.posseg, "dt", None)
    table = getattr(imported, "word_tag_tab", None)
    its_file = getattr(getattr(imported, "tokenizer", None), "dictionary", "")
    own = jieba.DEFAULT_DICT  # None: jieba's own dict.txt
    if not table or tokenizer.dictionary != own or its_file != own:
        return None
    return table


def pos_tokenizer():
    """The part-of-speech tokenizer over jieba's own dictionary (``cut`` gives word/flag pairs)."""
    return _loaded()


def frequencies() -> dict[str, int]:
    """Word → frequency in jieba's main dictionary (its prefixes have 0; shared: do not modify)."""
    return _loaded().tokenizer.FREQ


def tags() -> dict[str, str]:
    """Word → part-of-speech tag in jieba's main dictionary (shared: do not modify)."""
    return _loaded().word_tag_tab
