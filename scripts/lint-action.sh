#!/bin/sh
# lint-action.sh: check action.yml and the README's GitHub Actions workflow.
# actionlint (go install github.com/rhysd/actionlint/cmd/actionlint@latest)
# lints the README workflow in a scratch repository where "uses: ./" is this
# action, so the action's metadata and every input the workflow passes are
# checked; shellcheck (apt-get install shellcheck), when installed, lints the
# action's run scripts, which actionlint does not.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
command -v actionlint >/dev/null || { echo "lint-action: actionlint is not installed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/.github/workflows"
cp "$here/action.yml" "$work/action.yml"
# Every yaml block of the README is a workflow; "uses: chathook/chathook@..."
# becomes this checkout's action.
awk -v dir="$work/.github/workflows" '/^```yaml$/{n++; f=1; next} /^```$/{f=0} f{print > (dir "/readme" n ".yml")}' "$here/README.md"
for f in "$work"/.github/workflows/readme*.yml; do
	[ -s "$f" ] || { echo "lint-action: no yaml block in README.md" >&2; exit 1; }
	sed -i 's|uses: chathook/chathook@[^ ]*|uses: ./|' "$f"
done
(cd "$work" && git init -q . && actionlint)
if command -v shellcheck >/dev/null; then
	python3 - "$here/action.yml" "$work" <<'PY'
import sys, re
text = open(sys.argv[1]).read()
# Each "run: |" block of the composite action, de-indented.
for i, m in enumerate(re.finditer(r'\n( +)run: \|\n((?:\1  .*\n|\n)+)', text)):
    pad = len(m.group(1)) + 2
    body = "".join(l[pad:] + "\n" for l in m.group(2).splitlines())
    open(f"{sys.argv[2]}/run{i}.sh", "w").write("#!/bin/bash\n" + body)
PY
	shellcheck "$work"/run*.sh
fi
echo "lint-action: ok"
