"""A page of text → its items and rows: reading, repair, layout, headlines, bylines, dates, accounting, progress figures, the pipeline."""
