"""Bounds that keep a hostile bundle from exhausting memory, disk or time.

Generous for real field work (a year of an officer's records with photos), tiny next to
what a zip bomb or a crafted JSON line would need.
"""

MAX_BUNDLE_BYTES = 4 * 1024**3 - 1  # a plain ZIP without zip64 must stay below 4 GiB
MAX_ENTRIES = 100_000
MAX_MANIFEST_BYTES = 8 * 1024**2
MAX_STATE_BYTES = 8 * 1024**2
MAX_REVISIONS_BYTES = 2 * 1024**3
MAX_BLOB_BYTES = 200 * 1024**2  # the attachment limit of services.attachments
MAX_TOTAL_UNCOMPRESSED = 3 * 1024**3
MAX_RATIO = 200  # uncompressed/compressed; real JSON lines compress 5-15x
MAX_LINE_BYTES = 1024**2
MAX_JSON_DEPTH = 12
MAX_REVISIONS = 5_000_000
# Erased revisions from before salted commitments are held in memory until the bundle's
# erasures are stored (`sync/apply.py`): bounded, so a bundle of them cannot fill memory.
MAX_HELD_REVISIONS = 10_000
MAX_HELD_BYTES = 32 * 1024**2
READ_CHUNK = 1 << 20
# Versions of one record in one bundle: a year of daily edits fits many times over; an
# 8,000-way conflict crafted to make merging slow does not.
MAX_VERSIONS_PER_RECORD = 1_000
