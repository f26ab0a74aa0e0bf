"""Export for ROA: a period's approved receipts as XLSX and CSV entries, written by a queued job."""
