"""Campaign posts: templates rendered per store, queued per time, published by cron (or
handed to Google with a scheduled time), never posted twice.

`template` reads a campaign file, `variables` and `render` fill it per store, `lint`
checks it as Google would, `campaign` builds and queues instances, `queue` owns the
tables, `publish` and `google_state` are the executor's jobs, `runner` starts the runs.
"""
