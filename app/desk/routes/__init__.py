"""The desk pages: one module per group of pages."""
