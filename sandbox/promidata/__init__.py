"""Emulated Promidata feeds: Import.txt, CAT.csv, one JSON file per product family, and their images."""
