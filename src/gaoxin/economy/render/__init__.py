"""Renderers of a Bulletin (economy/document.py): markdown, html, docx, and chart pictures."""
