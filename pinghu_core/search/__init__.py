"""文章检索: the query language, the search index and filters, places, the page's view."""
