"""Receipt OCR: photo or PDF → supplier, CIF, number, date, total, VAT and payment, each with a confidence.

Domain code only (no Quart, no Huey). `service.OcrService` owns the engine and its single worker
thread; `pipeline.read_receipt` is the synchronous pipeline it runs. The pipeline and the engines
need the `ocr` extra; `engines`, `engine`, `errors`, `reading` and `service` import without it.
"""
