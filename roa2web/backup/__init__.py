"""Backup and restore of an install: its SQLite databases, files and signing key in one zip archive.

`archive.create_backup` copies every SQLite database with SQLite's online backup API while the server
runs, plus receipts/ and exports/ under FILES_DIR and the jwt-secret file, with a manifest of sha256
sums (`manifest`). `restore.restore_archive` verifies an archive completely, then puts it in place of
a stopped install's files, keeping what it replaced. `in_use` is the lock that tells them apart:
`roa2web serve` and `roa2web worker` hold it shared while they run, a restore holds it alone.
`schedule` is the daily backup a server or worker runs when BACKUP_DIR is set.
"""
