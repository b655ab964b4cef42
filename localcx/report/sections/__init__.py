"""The report's sections, in the order they print. Each module has `KEY`, `FILL_COMMAND`
(what a user runs to give it data), `collect(db, selection, period)` and
`render(data, labels)`; the summary is drawn from what the others collected."""
