"""The interactive page: what it shows (data), where (layout), how (style), the HTML (template)."""
