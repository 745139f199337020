"""简报: a brief of a month, a quarter or any period, drafted from the data (issue 16).

period (which days, and the period compared with), model (sections, sentences, numbers, citations),
build (the sections), markdown and word (renderers), charts (PNG), method (方法与来源), view (the page).
"""
