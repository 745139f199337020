"""Shared small pieces every layer uses: frame schemas, exports, wording, settings, URL values, the date filter, dictionary files, the chart base."""
