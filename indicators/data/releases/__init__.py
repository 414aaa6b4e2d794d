"""Import a publisher's release file into data/*.yaml: `python -m indicators import FILE`.

One job per module: `sheets` reads a file (xlsx, csv) into rows; `layouts` recognises the
publisher's layout from the content and turns it into observations; `compare` diffs them with a
data file; `edit` changes the YAML text line by line; `run` ties them together and reports.
"""
