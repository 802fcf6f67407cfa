"""On-request copies: one customer's copy, and batch print runs, made through
the renderer registry."""
