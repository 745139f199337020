"""Events on the time axis (``data/events.toml``): read, checked, written, drawn on charts."""
