"""Selectors that name nothing are errors, and holiday calendars say what they lack."""

from __future__ import annotations

import json

import pytest

from localcx.exitcodes import ExitCode


@pytest.mark.parametrize("selector", ["label:", "label: ", "city:", "country:", "file:", ","])
def test_an_empty_selector_value_is_an_error_not_every_store(synced, selector):
    """`--stores "label:$LABEL"` with an empty variable must not select a whole chain."""
    result = synced("locations", "export", "-", "--stores", selector)
    assert result.exit_code in (ExitCode.USAGE, ExitCode.ERROR)
    assert result.stdout == "" and "bug" not in result.stderr
    holidays = synced("profiles", "holidays", "--country", "US", "--year", "2027", "--closed", "--stores", selector)
    assert holidays.exit_code in (ExitCode.USAGE, ExitCode.ERROR) and "bug" not in holidays.stderr


def test_holidays_without_observed_days(synced):
    us = ["--country", "US", "--year", "2027", "--closed", "--stores", "country:US", "--json"]
    observed = json.loads(synced("profiles", "holidays", *us).stdout)
    plain = json.loads(synced("profiles", "holidays", *us, "--no-observed").stdout)
    with_observed = observed["stores"][0]["after"]["special_hours"]
    without = plain["stores"][0]["after"]["special_hours"]
    # 4 July 2027 is a Sunday: observed on Monday 5 July.
    assert "2027-07-04 closed" in with_observed and "2027-07-05 closed" in with_observed
    assert "2027-07-04 closed" in without and "2027-07-05" not in without


def test_an_unknown_subdivision_names_the_subdivision_not_the_country(synced):
    result = synced("profiles", "holidays", "--country", "US", "--year", "2027", "--closed", "--subdivision", "ZZ")
    assert result.exit_code == ExitCode.USAGE
    assert "subdivision 'ZZ'" in result.stderr and "no calendar for US" not in result.stderr
    assert "CA" in result.stderr  # the hint lists the ones the calendar has
    unknown = synced("profiles", "holidays", "--country", "XX", "--year", "2027", "--closed")
    assert unknown.exit_code == ExitCode.USAGE and "no holiday calendar for country 'XX'" in unknown.stderr
