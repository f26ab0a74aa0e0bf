#!/usr/bin/env bash
# The optional paddleocr engine (PaddleOCR 3.x on onnxruntime, no paddlepaddle) in its own venv,
# .venv-paddle, from scratch; then `pytest -m paddleocr`. Its own venv because the OpenCV pins clash:
# paddlex pins opencv-contrib-python, rapidocr (which ships the ONNX models) needs
# opencv-python-headless. Both are replaced by ONE opencv-contrib-python-headless of the version
# paddlex pins, so the environment has exactly one OpenCV distribution and it is headless.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/_python.sh
PY=$(find_python)
VENV=.venv-paddle
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e '.[paddleocr,test]'
OPENCV=$("$VENV/bin/python" -c 'from importlib.metadata import version; print(version("opencv-contrib-python"))')
"$VENV/bin/python" -m pip uninstall --quiet --yes opencv-contrib-python opencv-python-headless
"$VENV/bin/python" -m pip install --quiet --no-deps "opencv-contrib-python-headless==$OPENCV"
"$VENV/bin/python" -c 'import cv2, paddleocr; print("paddleocr", paddleocr.__version__, "opencv", cv2.__version__)'
"$VENV/bin/pytest" -m paddleocr tests/data_entry/ocr/test_paddle_engine.py "$@"
