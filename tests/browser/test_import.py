"""The COA list import in the browser: upload the clean sample, read the preview, confirm (in
the dialog), and find an imported household in the pool."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.exchange.import_builders import CLEAN_SAMPLE

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_imports_the_sample_and_finds_a_household_in_the_pool(
    world, page, log_in, assert_accessible
):
    log_in(world.coordinator)
    page.goto("/huishoudens/")
    page.locator("#import-coa-list").click()
    expect(page).to_have_url(re.compile(r"/uitwisseling/coa-lijst/$"))
    page.locator("#id_file").set_input_files(str(CLEAN_SAMPLE))
    page.locator("#import-upload").click()
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "ready")
    expect(page.locator("#count-new")).to_have_text("12")
    expect(page.locator("#count-error")).to_have_text("0")
    expect(page.locator("#section-new article")).to_have_count(12)
    assert_accessible(page, label="import preview")
    page.locator("#import-confirm").click()
    dialog = page.locator("dialog[data-confirm-dialog]")
    expect(dialog).to_be_visible()
    dialog.locator("#confirm-yes").click()
    expect(page.locator("#batch-status")).to_have_attribute("data-status", "applied")
    expect(page.locator("#applied-new")).to_have_text("12")
    page.goto("/huishoudens/?q=Haddad")
    expect(page.locator("#results")).to_contain_text("Samir Haddad")
