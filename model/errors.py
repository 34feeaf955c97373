"""Problems found in the data, worded in French for the editors who fix them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a look) at a given place in a data file."""

    path: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        prefix = "attention : " if self.warning else ""
        return f"{where} : {prefix}{self.message}"


class DataError(Exception):
    """The data cannot be used: carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        title = ("1 erreur dans les données du site" if count == 1
                 else f"{count} erreurs dans les données du site")
        lines = [f"{title} — corrigez-les puis relancez « make check » :"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


class Collector:
    """Gathers problems while a file is validated, so that all are reported at once."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, warning=True))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if not p.warning]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.warning]
