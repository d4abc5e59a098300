"""Every write to the claims database goes through this package (HackSoft style services).

- ``files``: reading article files (no database).
- ``reference``: the one reader of ``fixtures/`` and its installation.
- ``protection``: the curator's rule, alone.
- ``writes``: the loader's history reason and its retried transactions.
- ``speakers``: speakers and aliases the loader finds or creates.
- ``sync``: one source's claims and stances made to match an extraction.
- ``loading``: files and pasted texts through the pipeline into sources.
- ``curation``: curators' edits, the same functions for the admin and the API.
"""
