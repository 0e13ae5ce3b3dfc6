"""The visits pages: one module per group of pages."""
