"""Bulk profile management: desired state → validate → plan → apply, journal, undo, drift.

Values travel as canonical text (:mod:`.fields`); hours have their own readable syntax
(:mod:`.hours`); desired-state files are read by :mod:`.desired` and written by
:mod:`.export`. Import the submodules directly; this package imports nothing so that
loading one piece never drags in the database or HTTP layers.
"""
