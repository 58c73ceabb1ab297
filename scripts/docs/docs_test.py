"""Checks dpbridge's documentation (issue 19): every relative link in README.md and
docs/*.md resolves to a file or directory of the repository, and every `#anchor` to a
heading of the Markdown file it names (GitHub's slug rules); every repository path that
docs/ARCHITECTURE.md names in backticks (`Sources/...`, `Tests/...`, `scripts/...`, ...)
exists; every page of docs/ is linked from README.md; README.md stays under 15 KB. Prints each failure, then "N passed, N failed".

Usage: docs_test.py [--self-test] [ROOT]
  ROOT         the repository to check (default: this script's repository)
  --self-test  copies the documents to a temporary directory, breaks them in every way the
               checks look for, and expects each break reported, so a check cannot pass
               silently; then checks ROOT as usual.
"""
import os
import re
import shutil
import sys
import tempfile
import unicodedata

README_LIMIT = 15 * 1024  # bytes
# Top-level folders of the repository that ARCHITECTURE.md may name in backticks.
PATH_ROOTS = ("Sources/", "Tests/", "scripts/", "docs/", "etc/", "systemd/", "Fuzz/", "mk/")
LINK = re.compile(r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")


def documents(root):
    """README.md and docs/*.md, relative to root."""
    names = ["README.md"]
    docs = os.path.join(root, "docs")
    if os.path.isdir(docs):
        names += sorted("docs/" + n for n in os.listdir(docs) if n.endswith(".md"))
    return names


def prose_lines(text):
    """The lines of text outside fenced code blocks, with their 1-based numbers."""
    fence = None
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.lstrip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if marker:
            if fence is None:
                fence = marker.group(1)[0] * len(marker.group(1))
            elif stripped.startswith(fence):
                fence = None
            continue
        if fence is None:
            yield number, line


def slug(heading):
    """GitHub's anchor for a heading's text: markup removed, lower-cased, punctuation
    other than '-' and '_' dropped, spaces to '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links keep their text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML
    text = text.strip().lower()
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "-_ " or category[0] in "LN" or category == "Mn":
            kept.append(ch)
    return "".join(kept).replace(" ", "-")


def anchors(text):
    """Every anchor a Markdown file's headings give, duplicates numbered as GitHub does."""
    seen = {}
    result = set()
    for _, line in prose_lines(text):
        match = re.match(r" {0,3}(#{1,6})\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    for _, line in prose_lines(text):  # explicit HTML anchors
        for name in re.findall(r"<a\s+(?:name|id)=\"([^\"]+)\"", line):
            result.add(name)
    return result


class Checks:
    def __init__(self, root, quiet=False):
        self.root = root
        self.quiet = quiet
        self.passed = 0
        self.failures = []
        self._anchors = {}

    def result(self, ok, message):
        if ok:
            self.passed += 1
        else:
            self.failures.append(message)
            if not self.quiet:
                print("FAIL " + message)

    def anchors_of(self, path):
        if path not in self._anchors:
            with open(path, encoding="utf-8") as f:
                self._anchors[path] = anchors(f.read())
        return self._anchors[path]

    def links(self, name):
        path = os.path.join(self.root, name)
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for number, line in prose_lines(text):
            line = CODE_SPAN.sub(lambda m: " " * len(m.group(0)) if "](" not in m.group(0) else m.group(0), line)
            targets = [m.group(1) for m in LINK.finditer(line)] + [m.group(1) for m in IMAGE.finditer(line)]
            for target in targets:
                if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto:, ...
                    continue
                where = f"{name}:{number}: link {target}"
                file_part, _, fragment = target.partition("#")
                dest = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
                if not dest.startswith(os.path.normpath(self.root) + os.sep) and dest != os.path.normpath(self.root):
                    self.result(False, where + ": leaves the repository")
                    continue
                if not os.path.exists(dest):
                    self.result(False, where + ": no such file")
                    continue
                if fragment:
                    if not dest.endswith(".md") or os.path.isdir(dest):
                        self.result(False, where + ": an anchor into a file that is not Markdown")
                        continue
                    self.result(fragment in self.anchors_of(dest),
                                where + f": no heading with anchor #{fragment} in {os.path.relpath(dest, self.root)}")
                else:
                    self.result(True, where)

    def architecture_paths(self):
        name = "docs/ARCHITECTURE.md"
        path = os.path.join(self.root, name)
        if not os.path.exists(path):
            self.result(False, name + ": missing")
            return
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for number, line in prose_lines(text):
            for span in CODE_SPAN.findall(line):
                candidate = span.strip()
                if not candidate.startswith(PATH_ROOTS) or " " in candidate:
                    continue
                candidate = candidate.rstrip(".,;:")
                if "<" in candidate:  # a pattern such as Sources/Simulator/Routes+<Area>.swift: its folder
                    candidate = candidate[:candidate.index("<")].rpartition("/")[0] + "/"
                self.result(os.path.exists(os.path.join(self.root, candidate)),
                            f"{name}:{number}: path `{candidate}` does not exist")

    def pages_linked_from_readme(self):
        """Every page of docs/ is reachable from the README (the newcomer's way in)."""
        with open(os.path.join(self.root, "README.md"), encoding="utf-8") as f:
            text = f.read()
        linked = set()
        for _, line in prose_lines(text):
            for match in LINK.finditer(line):
                linked.add(os.path.normpath(match.group(1).partition("#")[0]))
        for name in documents(self.root)[1:]:
            self.result(os.path.normpath(name) in linked, f"README.md: no link to {name}")

    def readme_size(self):
        size = os.path.getsize(os.path.join(self.root, "README.md"))
        self.result(size < README_LIMIT, f"README.md is {size} bytes, the limit is {README_LIMIT}")

    def run(self):
        for name in documents(self.root):
            self.links(name)
        self.architecture_paths()
        self.pages_linked_from_readme()
        self.readme_size()
        return self


def self_test(root):
    """Breaks a copy of the documents in each way the checks look for; every break must be
    reported, and the unbroken copy must pass."""
    passed = failed = 0
    breaks = {
        "a link to a missing file": ("docs/operating.md", "\nSee [gone](no-such-file.md).\n"),
        "an anchor to a missing heading": ("README.md", "\nSee [gone](docs/operating.md#no-such-heading).\n"),
        "an anchor within the same file": ("docs/testing.md", "\nSee [gone](#no-such-heading).\n"),
        "a missing source path": ("docs/ARCHITECTURE.md", "\nSee `Sources/NoSuchModule/Nothing.swift`.\n"),
        "an oversized README": ("README.md", "\n" + "x" * README_LIMIT + "\n"),
        "a page the README does not link": ("docs/orphan.md", "# Orphan\n"),
    }
    # Anchors GitHub gives these headings (the links of the README before the split used them).
    known = {
        "First run: dpbridge init": "first-run-dpbridge-init",
        "Erasing one patient's data": "erasing-one-patients-data",
        "The /v1 partner API": "the-v1-partner-api",
        "Several clinics (tenants)": "several-clinics-tenants",
        "Data kept, and for how long": "data-kept-and-for-how-long",
        "`dpbridge status`, queues_and more": "dpbridge-status-queues_and-more",
    }
    for heading, expected in known.items():
        ok = slug(heading) == expected
        print(("ok  " if ok else "FAIL") + f" self-test: slug of {heading!r} is {expected!r} (got {slug(heading)!r})")
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    ok = anchors("# A\n## Usage\n### Usage\n```\n# not a heading\n```\n") == {"a", "usage", "usage-1"}
    print(("ok  " if ok else "FAIL") + " self-test: a repeated heading gets -1, a line in a code block is no heading")
    passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    with tempfile.TemporaryDirectory(prefix="dpbridge-docs-selftest.") as tmp:
        def fresh_copy():
            copy = os.path.join(tmp, "repo")
            shutil.rmtree(copy, ignore_errors=True)
            shutil.copytree(root, copy, ignore=shutil.ignore_patterns(".build", ".git", "out"))
            return copy
        copy = fresh_copy()
        clean = Checks(copy, quiet=True).run()
        ok = not clean.failures and clean.passed > 0
        print(("ok  " if ok else "FAIL") + f" self-test: the unbroken copy passes ({clean.passed} checks)")
        passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
        for what, (name, addition) in breaks.items():
            copy = fresh_copy()
            with open(os.path.join(copy, name), "a", encoding="utf-8") as f:
                f.write(addition)
            checks = Checks(copy, quiet=True).run()
            ok = len(checks.failures) == 1
            detail = checks.failures[0] if len(checks.failures) == 1 else f"{len(checks.failures)} failures"
            print(("ok  " if ok else "FAIL") + f" self-test: {what} is reported ({detail})")
            passed, failed = (passed + 1, failed) if ok else (passed, failed + 1)
    return passed, failed


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    root = os.path.abspath(args[0] if args else os.path.join(os.path.dirname(__file__), "..", ".."))
    passed = failed = 0
    if "--self-test" in argv:
        passed, failed = self_test(root)
    checks = Checks(root).run()
    passed += checks.passed
    failed += len(checks.failures)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
