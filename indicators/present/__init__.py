"""Presentation without Streamlit: words, formats, colours, charts, map figures, page views, exports, the report."""
