"""The client report: one self-contained HTML file (inline CSS and SVG) and the status board."""
