"""pinghu_core: turn front pages of 嘉兴日报·平湖版 into pandas frames.

Never imports streamlit.  Stages: reading → repair → layout (items) → bylines → dates →
frames (schemas) → ingest/cache → overview/charts.
"""

__version__ = "0.1.0"
