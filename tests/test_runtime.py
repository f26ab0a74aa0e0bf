"""The runtime's typed services: what a configuration installs, and a clear error for what it does not."""

from __future__ import annotations

import pytest

from roa2web.app import build_runtime
from roa2web.jobs.service import JobService
from roa2web.reports.service import ReportService
from roa2web.runtime import ServiceMissing


def test_installed_services_are_typed_attributes(settings_factory):
    runtime = build_runtime(settings_factory())
    assert isinstance(runtime.reports, ReportService)
    assert isinstance(runtime.jobs, JobService)
    assert runtime.reports.cache is runtime.report_cache
    assert runtime.data_entry.receipts.db is runtime.data_entry_db
    runtime.report_cache.close()


def test_a_switched_off_module_says_so_by_name(settings_factory):
    runtime = build_runtime(settings_factory(module_reports_enabled=False, module_data_entry_enabled=False))
    assert runtime.services.reports is None and runtime.services.data_entry is None
    with pytest.raises(ServiceMissing, match=r"'reports' service.*MODULE_REPORTS_ENABLED=false"):
        runtime.reports  # noqa: B018 - the property is what raises
    with pytest.raises(ServiceMissing, match=r"'data_entry_db' service.*MODULE_DATA_ENTRY_ENABLED=false"):
        runtime.data_entry_db  # noqa: B018
    assert runtime.services.ocr is None
