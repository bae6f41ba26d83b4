"""The ML core: plain functions over the dataclasses in `types`, no web or database imports."""
