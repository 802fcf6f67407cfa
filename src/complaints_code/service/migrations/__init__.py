"""Alembic migrations of the service's database (run by ``complaints-code serve``)."""
