"""One private jieba dictionary per process (``common/jieba_dict``), for places and people."""

from __future__ import annotations

import threading

import jieba

from pinghu_core.common import jieba_dict


def test_threads_arriving_together_share_one_dictionary():
    seen: list[int] = []
    threads = [threading.Thread(target=lambda: seen.append(id(jieba_dict.pos_tokenizer()))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 1


def test_it_is_jiebas_own_dictionary_and_not_the_module_tokenizer():
    assert jieba_dict.tags()["深入"] == "v" and jieba_dict.frequencies()["方向"] >= 300
    assert jieba_dict.pos_tokenizer().tokenizer is not jieba.dt  # never the module-level tokenizer
    assert [(w.word, w.flag) for w in jieba_dict.pos_tokenizer().cut("深入")] == [("深入", "v")]


def test_the_tags_read_by_importing_posseg_are_not_read_again(monkeypatch):
    import jieba.posseg

    reads: list[object] = []
    original = jieba.posseg.POSTokenizer.load_word_tag
    monkeypatch.setattr(
        jieba.posseg.POSTokenizer, "load_word_tag", lambda self, f: reads.append(f) or original(self, f)
    )
    monkeypatch.setattr(jieba_dict, "_POS", None)
    loaded = jieba_dict.pos_tokenizer()
    assert reads == []  # the import's table taken, the 349,046-line file not read a second time
    fresh = jieba.posseg.POSTokenizer(jieba.Tokenizer())  # what it replaces: the file read again
    assert len(reads) == 1 and loaded.word_tag_tab == fresh.word_tag_tab
    assert loaded.tokenizer is not jieba.dt and loaded.tokenizer.dictionary is None  # jieba's own file


def test_a_module_tokenizer_of_another_dictionary_is_not_borrowed(monkeypatch, tmp_path):
    import jieba.posseg

    other = tmp_path / "dict.txt"
    other.write_text("平湖 5 ns\n", encoding="utf-8")
    monkeypatch.setattr(jieba.posseg, "dt", jieba.posseg.POSTokenizer(jieba.Tokenizer(str(other))))
    monkeypatch.setattr(jieba_dict, "_POS", None)
    assert jieba_dict.tags()["深入"] == "v"  # read from jieba's own file, not the module tokenizer's
