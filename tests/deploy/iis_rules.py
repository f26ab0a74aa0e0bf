"""A small model of what IIS does with a request under frontend/public/web.config.

It reads the inbound rewrite rules (URL Rewrite 2.x: the rule's `match url` regex against the path
without its leading slash or query, conditions on {REQUEST_FILENAME} isFile/isDirectory or a pattern,
`stopProcessing`, a Rewrite action to a local path or to http://host:port/... for ARR), then serves what
is left as IIS's static file handler would: request filtering hides web.config, a folder answers its
default document, anything else missing is a 404. Anything in the rules it does not know raises, so a
new kind of rule cannot slip past the test.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from tests.deploy.front_paths import Outcome

HIDDEN_SEGMENTS = {"web.config", "bin", "app_code", "app_data"}  # IIS's default requestFiltering/hiddenSegments


@dataclass(frozen=True)
class Answer:
    """What IIS does: the outcome, and the proxy target or the file served."""

    outcome: Outcome
    target: str = ""


class WebConfig:
    """frontend/public/web.config, parsed, applied to a build folder `site` (what IIS serves)."""

    def __init__(self, path: Path, site: Path) -> None:
        self.root = ET.parse(path).getroot()  # noqa: S314 - the repository's own file
        self.site = site
        web_server = self.root.find("system.webServer")
        assert web_server is not None, "web.config has no <system.webServer>"
        self.web_server = web_server
        self.rules = self.web_server.findall("rewrite/rules/rule")
        self.maps = {m.get("name"): m for m in self.web_server.findall("rewrite/rewriteMaps/rewriteMap")}

    def default_documents(self) -> list[str]:
        """The default documents, in order."""
        return [entry.get("value", "") for entry in self.web_server.findall("defaultDocument/files/add")]

    def max_allowed_content_length(self) -> int:
        """requestLimits maxAllowedContentLength (IIS's default is 30000000)."""
        limits = self.web_server.find("security/requestFiltering/requestLimits")
        return int(limits.get("maxAllowedContentLength", "30000000")) if limits is not None else 30_000_000

    def answer(self, url: str, https: bool = False) -> Answer:
        """What IIS does with a GET of `url` (a path with an optional query)."""
        parts = urlsplit(url)
        path = parts.path
        for rule in self.rules:
            match = self._match(rule, path.lstrip("/"))
            if match is None or not self._conditions_hold(rule, path, https):
                continue
            action = rule.find("action")
            assert action is not None and action.get("type") == "Rewrite", f"rule {rule.get('name')!r}: unknown action"
            target = self.expand(action.get("url", ""), match, url, https)
            if action.get("appendQueryString", "true") == "true" and parts.query:
                target += "?" + parts.query
            if re.match(r"^https?://", target):
                return Answer(Outcome.PROXY, target)
            target = urlsplit(target).path  # a local rewrite: the query stays the request's
            path = target if target.startswith("/") else "/" + target
            if rule.get("stopProcessing") == "true":
                break
        return self._static(path)

    def server_variables(self, rule_name: str) -> dict[str, str]:
        """The server variables an inbound rule sets (name: value as written)."""
        for rule in self.rules:
            if rule.get("name") == rule_name:
                return {item.get("name", ""): item.get("value", "") for item in rule.findall("serverVariables/set")}
        raise KeyError(rule_name)

    def _match(self, rule: ET.Element, url: str) -> re.Match[str] | None:
        match = rule.find("match")
        assert match is not None and "url" in match.attrib, f"rule {rule.get('name')!r} matches no url"
        flags = re.IGNORECASE if match.get("ignoreCase", "true") == "true" else 0
        found = re.search(match.get("url", ""), url, flags)
        if match.get("negate") == "true":
            return re.match("", "") if found is None else None
        return found

    def _conditions_hold(self, rule: ET.Element, path: str, https: bool) -> bool:
        conditions = rule.find("conditions")
        if conditions is None:
            return True
        results = [self._condition(condition, path, https) for condition in conditions.findall("add")]
        grouping = conditions.get("logicalGrouping", "MatchAll")
        assert grouping in {"MatchAll", "MatchAny"}, grouping
        return all(results) if grouping == "MatchAll" else any(results)

    def _condition(self, condition: ET.Element, path: str, https: bool) -> bool:
        source, kind = condition.get("input"), condition.get("matchType", "Pattern")
        if source == "{REQUEST_FILENAME}" and kind in {"IsFile", "IsDirectory"}:
            physical = self.site / path.lstrip("/")
            held = physical.is_file() if kind == "IsFile" else physical.is_dir()
        elif source == "{HTTPS}" and kind == "Pattern":
            held = re.search(condition.get("pattern", ""), "on" if https else "off", re.IGNORECASE) is not None
        else:
            raise AssertionError(f"a condition this model does not know: {condition.attrib}")
        return held != (condition.get("negate") == "true")

    def expand(self, template: str, match: re.Match[str] | None, url: str, https: bool) -> str:
        """`template` with its {VARIABLE}, {R:n} and {Map:key} references replaced, innermost first."""

        def value(name: str) -> str:
            if ":" in name and not name.startswith(("R:", "C:")):
                map_name, key = name.split(":", 1)
                return self.map_value(map_name, key)
            if name == "UNENCODED_URL":
                return url
            if name == "HTTPS":
                return "on" if https else "off"
            back = re.fullmatch(r"R:(\d+)", name)
            if back and match is not None:
                return match.group(int(back[1])) or ""
            raise AssertionError(f"a server variable this model does not know: {{{name}}}")

        while (expanded := re.sub(r"\{([^{}]+)\}", lambda found: value(found[1]), template)) != template:
            template = expanded
        return template

    def _static(self, path: str) -> Answer:
        segments = [segment for segment in path.split("/") if segment]
        if any(segment.lower() in HIDDEN_SEGMENTS for segment in segments):
            return Answer(Outcome.MISSING)
        physical = self.site.joinpath(*segments)
        if physical.is_dir():
            for document in self.default_documents():
                if (physical / document).is_file():
                    return Answer(Outcome.PAGE, f"/{'/'.join([*segments, document])}")
            return Answer(Outcome.MISSING)
        if physical.is_file():
            outcome = Outcome.PAGE if physical == self.site / "index.html" else Outcome.FILE
            return Answer(outcome, path)
        return Answer(Outcome.MISSING)

    def map_value(self, name: str, key: str) -> str:
        """A rewrite map's value for `key` (its defaultValue when the key is absent)."""
        entries = {entry.get("key"): entry.get("value", "") for entry in self.maps[name].findall("add")}
        return entries.get(key, self.maps[name].get("defaultValue", ""))
