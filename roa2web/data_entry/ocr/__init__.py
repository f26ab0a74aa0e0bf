"""Receipt OCR: photo or PDF → supplier, CIF, number, date, total, VAT and payment, each with a confidence.

Domain code only (no Quart, no Huey). `service.OcrService` owns the engine and its single worker
thread; `pipeline.read_receipt` is the synchronous pipeline it runs; `flow` starts and reports OCR
runs as jobs and `fill` turns a reading into draft fields. The pipeline and the engines need the
`ocr` extra (numpy, OpenCV, onnxruntime, rapidocr); `engines`, `engine`, `errors`, `reading`,
`service`, `flow` and `fill` import without it.
"""
