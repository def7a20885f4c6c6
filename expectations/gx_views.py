"""Data Docs views that compile GX's page templates once per process, not per page.

GX builds a new Jinja environment for every Data Docs build, so each suite's update
recompiled about fifty templates (most of the seconds a run spent on Data Docs). These
views share one environment per view class; the filters it binds are the first
view's, and every view of a class is configured alike here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView


class _SharedEnvironment:
    _environments: ClassVar[dict[tuple, Any]] = {}

    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:
        key = (type(self), custom_styles_directory, custom_views_directory)
        environment = self._environments.get(key)
        if environment is None:
            super().__init__(custom_styles_directory, custom_views_directory)  # type: ignore[call-arg]
            self._environments[key] = self.env
        else:
            self.custom_styles_directory = custom_styles_directory
            self.custom_views_directory = custom_views_directory
            self.env = environment


class SharedJinjaPageView(_SharedEnvironment, DefaultJinjaPageView):
    pass


class SharedJinjaIndexPageView(_SharedEnvironment, DefaultJinjaIndexPageView):
    pass
