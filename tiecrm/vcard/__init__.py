"""vCard import and export: a lenient reader for real phone exports and a writer that loses nothing."""

from __future__ import annotations

from tiecrm.vcard.reader import (
    CardStream,
    ReadResult,
    UnreadablePathError,
    collect_vcf_files,
    count_cards,
    read_paths,
    read_vcard_bytes,
    read_vcard_file,
    stream_vcard_bytes,
    stream_vcard_file,
)

__all__ = [
    "CardStream",
    "ReadResult",
    "UnreadablePathError",
    "collect_vcf_files",
    "count_cards",
    "read_paths",
    "read_vcard_bytes",
    "read_vcard_file",
    "stream_vcard_bytes",
    "stream_vcard_file",
]
