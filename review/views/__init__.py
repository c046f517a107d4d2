"""Review pages, one module per audience."""
