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
