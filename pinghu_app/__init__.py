"""The Streamlit side of the dashboard: the app shell, session state and the caching adapter, one module per page domain.  Imports go pages → pinghu_app → pinghu_core."""
