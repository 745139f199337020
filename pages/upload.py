"""上传: add page text files to the corpus folder (hosted mode: editors only, checked here too)."""

import datetime as dt
from pathlib import Path

import streamlit as st

from pinghu_app import corpus as app_corpus
from pinghu_app import shell as app_shell
from pinghu_app import state as app_state
from pinghu_app.state import Keys
from pinghu_core.common import daterange as dr
from pinghu_core.common import safe_markdown as md
from pinghu_core.common import settings, wording
from pinghu_core.corpus import uploads
from pinghu_core.parse import reading

who = app_corpus.viewer()
if not who.editor:  # the page is hidden from non-editors; a direct run must not get further either
    if not who.signed_in and who.hosted:
        app_shell.current_key()  # opened first on a fresh server: through the entry point's sign-in page
    st.title("上传")
    st.error("只有编辑可以上传版面文件。如需上传权限，请联系管理员把你的地址加入 editors 名单。")
    st.stop()

key = app_shell.current_key()
cfg = settings.get_settings()

st.title("上传版面")
st.caption(
    f"把头版文本文件（.txt）加入语料文件夹 `{key.corpus_dir}`。每个文件不超过 "
    f"{reading.format_size(cfg.max_file_bytes)}；编码自动识别（UTF-8、GB18030 等，原样保存）；"
    "与语料中已有版面内容完全相同的文件不会写入；文件名里没有日期时，请确认版面日期，它会写进文件名。"
)

nonce = st.session_state.get(Keys.UPLOAD_NONCE, 0)
app_state.chinese_file_uploader()  # "Upload" and "5MB per file • TXT" → 选择文件, the caption's limit
sent = st.file_uploader(
    "选择版面文本文件（可多选）",
    type=["txt"],
    accept_multiple_files=True,
    key=f"{Keys.UPLOAD_FILES}.{nonce}",
    max_upload_size=uploads.upload_limit_mb(cfg.max_file_bytes),
)

done = st.session_state.get(Keys.UPLOAD_RESULT)
if done is not None:
    st.subheader("上传结果")
    st.success(done["summary"], icon=":material/task_alt:")
    for problem in done["problems"]:
        st.error(md.escape(problem))
    for note in done.get("renamed", []):
        st.info(md.escape(note), icon=":material/drive_file_rename_outline:")
    if len(done["report"]):
        st.caption(
            "下表是读取这些文件的结果（与总览的读取报告相同的检查）。"
            f"看板已读入这些版面；其他已打开的页面在下一次检查语料文件夹时（至多 {cfg.refresh_seconds} 秒后）更新。"
        )
        st.dataframe(uploads.report_table(done["report"]), hide_index=True, placeholder=wording.MISSING)

if sent:
    checked = uploads.check_batch(
        [(f.name, f.getvalue()) for f in sent], max_bytes=cfg.max_file_bytes, known=app_corpus.page_ids(key)
    )
    st.subheader("待写入的文件")
    days: dict[int, dt.date | None] = {}
    for i, c in enumerate(checked):
        if not c.ok:
            st.error(f"**{md.escape(c.original)}**：{md.escape(c.problem)}", icon=":material/block:")
            continue
        line = f"**{md.escape(c.name)}** · {reading.format_size(len(c.data))} · 编码 {c.encoding}"
        if c.warning:
            st.warning(f"{line}\n\n{md.escape(c.warning)}（仍会写入，读取报告会标出）")
        if c.name_date is not None:
            st.info(
                f"{line} · 版面日期 {wording.format_date_zh(c.name_date)}（来自文件名）",
                icon=":material/event:",
            )
            continue
        st.markdown(f":material/description: {line}")
        guess = c.inferred.date if c.inferred is not None else None
        days[i] = st.date_input(
            f"{md.escape(c.name)} 的版面日期（文件名中没有日期）",
            value=guess,
            format="YYYY-MM-DD",
            min_value=dr.INPUT_MIN,  # checked below, in Chinese (the browser's refusal is English)
            max_value=dr.INPUT_MAX,
            key=f"{Keys.UPLOAD_DATES}.{nonce}.{i}",
            help=f"默认值由正文推断：{md.escape(c.inferred.evidence) if c.inferred else ''}"
            if guess
            else "正文中找不到日期，请填写",
        )
    ready = [i for i, c in enumerate(checked) if c.ok]
    missing = [checked[i].name for i, d in days.items() if d is None]
    if missing:
        st.warning("请先填写这些文件的版面日期：" + "、".join(md.escape(m) for m in missing))
    wrong = [
        f"{md.escape(checked[i].name)}：{p}"
        for i, d in days.items()
        if d is not None and (p := uploads.date_problem(d))
    ]
    if wrong:
        st.warning("这些文件的版面日期不可能，请改正：\n\n" + "\n\n".join(wrong))
        missing += wrong
    if st.button(
        f"写入语料文件夹（{len(ready)} 个文件）",
        type="primary",
        key=Keys.UPLOAD_SAVE,
        disabled=not ready or bool(missing),
        icon=":material/save:",
    ):
        folder = Path(key.corpus_dir)
        renamed: list[str] = []
        written, problems = uploads.save_batch(
            folder, [checked[i] for i in ready], [days.get(i) for i in ready], cfg.settle_seconds, renamed
        )
        report = uploads.upload_report(written, folder)
        st.session_state[Keys.UPLOAD_RESULT] = {
            "summary": f"已写入 {len(written)} 个文件" + (f"，{len(problems)} 个失败" if problems else ""),
            "problems": problems,
            "renamed": renamed,
            "report": report,
        }
        st.session_state[Keys.UPLOAD_NONCE] = nonce + 1  # an empty uploader for the next files
        app_corpus.forget_scans()  # the rerun reads the new files at once
        st.rerun()
