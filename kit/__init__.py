"""The communication kit: the regional charter and print-ready PDFs for every association (AXE 6)."""
