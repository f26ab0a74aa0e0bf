"""Receipt data entry, free of HTTP and queue code (its doors: blueprints/data_entry, tasks/data_entry).

- `workflow/`: the receipt service the doors call, its rules and validation, the entries a receipt
  produces, supplier matching, the ledger's nomenclature, the receipt's files;
- `ocr/`: reading a photo (the pipeline, with the `ocr` extra), and OCR runs as jobs (flow, fill);
- `export/`: a period's approved receipts as XLSX and CSV for ROA;
- `store/`: every table, migration and SQL statement of the module, and the files on disk;
- `model`, `errors`, `filetypes`, `jobs` (what it needs from the job engine); `module` wires the services,
  `setup` installs them into the runtime.
"""
