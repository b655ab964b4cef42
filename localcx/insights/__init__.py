"""Insights: Google's daily performance metrics and monthly search keywords, kept locally.

- `metrics`  Google's DailyMetric names, the friendly names people read, `--metric` aliases;
- `windows`  which days and months a sync asks for (18 months first, then an overlap);
- `sync`     `insights sync` on the run executor, one item per store;
- `store`    owns the tables; the functions the views and the report read them through;
- `summary`  totals, change against the previous period, and buckets for sparklines.
"""
