"""The legal team's drafts in the service: stored in the database
(``records``, migration 0005), each step of their life applied and written
back only if nobody changed the draft meanwhile (``actions``), the version
now published and the check of a draft against it (``published``), what the
API and the pages show of a draft (``views``), the draft's form split into
pages of the Code's parts (``parts``), and a section as the website will
show it (``preview``). The library underneath is ``legal.drafts``; the HTTP
edges are ``legal_api``, ``legal_pages`` and ``legal_forms``; the release job
is ``jobs.release``."""
