"""The accounts pages: one module per group of pages."""
