#!/usr/bin/env bash
# Install the Debian/Ubuntu packages the report toolkit needs.
#
#   scripts/install-system-deps.sh            # what `make report` needs
#   scripts/install-system-deps.sh --test     # ... plus what the test suite needs (LibreOffice Impress,
#                                             #     Chromium and its WebDriver for the browser tests, npm for axe-core)
#   scripts/install-system-deps.sh --print-python
#                                             # print the Python (>= 3.10, with venv) to build .venv with
#
# Only missing packages are installed (checked with dpkg-query); `apt-get update` runs only
# when something is missing, so a second run is silent and takes a fraction of a second.
# Runs apt-get directly as root, through sudo otherwise; with neither, it prints the exact
# command to run and exits 1.
#
# Environment:
#   PYTHON=/path/to/python3   use this interpreter instead of searching PATH (must be >= 3.10 with venv)
#   DRY_RUN=1                 print the apt-get commands instead of running them
#   ASSUME_MISSING="a b"      treat these packages as not installed ("all" = every package);
#                             with DRY_RUN=1 this shows what a fresh machine would get
set -euo pipefail

MIN_PY_MAJOR=3
MIN_PY_MINOR=10

# What each package is for (docs/contributing/tests.md, "Dependencies", has the same list):
RUNTIME_PACKAGES=(
    make                # runs the Makefile that scripts/quickstart hands over to
    fontconfig          # fc-match/fc-list: the toolkit finds its fonts through fontconfig
    libpango-1.0-0      # WeasyPrint's text layout
    libpangoft2-1.0-0   # WeasyPrint's text layout (FreeType/fontconfig backend)
    libharfbuzz-subset0 # WeasyPrint's fast font subsetting
    fonts-noto-cjk      # Chinese glyphs (Noto Sans/Serif CJK)
    fonts-noto-core     # Noto Sans: the deck's Latin typeface
    poppler-utils       # pdftoppm/pdftotext, to look at rendered pages
)
PYTHON_PACKAGES=(python3 python3-venv python3-pip)   # only when no suitable Python is found
# The deck round-trip test converts .pptx with LibreOffice. The -nogui flavour (Debian >= 11,
# Ubuntu >= 21.04) is the same program without the X11/GTK front end and much smaller.
LIBREOFFICE_CHOICES=(libreoffice-impress-nogui libreoffice-impress)
# The preview's browser test drives headless Chromium through its WebDriver, both from the
# distribution (the driver matches the browser's version; nothing is downloaded at test time).
# Debian names them chromium / chromium-driver; Ubuntu's chromium-browser is a snap wrapper
# that does not run in containers, so only Debian's names are installed.
CHROMIUM_PACKAGES=(chromium chromium-driver)

WITH_TEST=0
PRINT_PYTHON=0
for arg in "$@"; do
    case "$arg" in
        --test) WITH_TEST=1 ;;
        --print-python) PRINT_PYTHON=1 ;;
        -h|--help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
        *) echo "install-system-deps.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

DRY_RUN="${DRY_RUN:-0}"
ASSUME_MISSING=" ${ASSUME_MISSING:-} "

say() { echo "install-system-deps: $*" >&2; }

# --- Python -----------------------------------------------------------------------------

# A Python is suitable when it is new enough and can create a virtualenv with pip in it
# (Debian's python3 without python3-venv has no ensurepip).
python_ok() {
    "$1" -c "import sys, venv, ensurepip; sys.exit(sys.version_info < ($MIN_PY_MAJOR, $MIN_PY_MINOR))" \
        >/dev/null 2>&1
}

# Prints the absolute path of the first suitable Python; returns 1 if there is none.
find_python() {
    local candidate exe
    if [[ -n "${PYTHON:-}" ]]; then
        candidate="${PYTHON}"
        if python_ok "$candidate"; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return 0
        fi
        say "PYTHON=$PYTHON is not a Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR with the venv module"
        return 1
    fi
    for candidate in python3 python3.14 python3.13 python3.12 python3.11 python3.10 /usr/bin/python3; do
        exe="$(command -v "$candidate" 2>/dev/null)" || continue
        if python_ok "$exe"; then
            "$exe" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    return 1
}

if [[ "$PRINT_PYTHON" == 1 ]]; then
    if ! find_python; then
        say "no Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR with venv found; run scripts/install-system-deps.sh first"
        exit 1
    fi
    exit 0
fi

# --- Which packages are missing ----------------------------------------------------------

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "this is not a Debian/Ubuntu system (no dpkg/apt-get)."
    say "Install by hand: Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR with venv, fontconfig, Pango >= 1.44,"
    say "HarfBuzz (with libharfbuzz-subset), Noto Sans CJK fonts, poppler-utils"
    [[ "$WITH_TEST" == 1 ]] && say "and, for the tests, LibreOffice Impress (soffice on PATH)."
    say "then rerun make with SKIP_SYSTEM_DEPS=1."
    exit 1
fi

installed() {
    [[ "$ASSUME_MISSING" == *" all "* || "$ASSUME_MISSING" == *" $1 "* ]] && return 1
    # `dpkg -s` also succeeds for removed-but-not-purged packages ("deinstall ... config-files"),
    # so look at the status word itself.
    [[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" == installed ]]
}

MISSING=()
for pkg in "${RUNTIME_PACKAGES[@]}"; do
    installed "$pkg" || MISSING+=("$pkg")
done

NEED_PYTHON=0
if [[ "$ASSUME_MISSING" == *" all "* || "$ASSUME_MISSING" == *" python3 "* ]] || ! find_python >/dev/null; then
    NEED_PYTHON=1
    for pkg in "${PYTHON_PACKAGES[@]}"; do
        installed "$pkg" || MISSING+=("$pkg")
    done
fi

NEED_LIBREOFFICE=0
NEED_CHROMIUM=()
if [[ "$WITH_TEST" == 1 ]]; then
    NEED_LIBREOFFICE=1
    for pkg in "${LIBREOFFICE_CHOICES[@]}"; do
        installed "$pkg" && NEED_LIBREOFFICE=0
    done
    for pkg in "${CHROMIUM_PACKAGES[@]}"; do
        installed "$pkg" || NEED_CHROMIUM+=("$pkg")
    done
    # npm installs axe-core, the accessibility rules the HTML edition's browser tests run
    # (Makefile, install-test); Debian's npm brings Node.js. A Node.js installed another way
    # with its own npm is used as it is.
    command -v npm >/dev/null 2>&1 || NEED_CHROMIUM+=(npm)
fi

if [[ ${#MISSING[@]} -eq 0 && "$NEED_LIBREOFFICE" == 0 && ${#NEED_CHROMIUM[@]} -eq 0 ]]; then
    if [[ "$NEED_PYTHON" == 1 ]]; then
        # The Python packages are installed and still no suitable interpreter: too old a release.
        version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)"
        say "this system's python3 is $version; the toolkit needs Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR with venv."
        say "Use Debian >= 12 or Ubuntu >= 22.04, or install a newer Python and run make with PYTHON=/path/to/python3."
        exit 1
    fi
    exit 0  # everything present: stay quiet
fi

# --- How to run apt-get ------------------------------------------------------------------

if [[ "$(id -u)" == 0 ]]; then
    AS_ROOT=()
elif command -v sudo >/dev/null 2>&1; then
    # Without a terminal, sudo must not wait for a password nobody can type.
    if [[ -t 0 ]]; then AS_ROOT=(sudo); else AS_ROOT=(sudo -n); fi
else
    AS_ROOT=(NO_ROOT)
fi

APT=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o Dpkg::Use-Pty=0)

show_command() {  # the command a person can paste
    local pkgs=("$@") prefix=""
    [[ "$(id -u)" != 0 ]] && command -v sudo >/dev/null 2>&1 && prefix="sudo "
    echo "  ${prefix}apt-get update && ${prefix}env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${pkgs[*]}" >&2
}

run() {
    if [[ "$DRY_RUN" == 1 ]]; then
        echo "+ ${AS_ROOT[*]:+${AS_ROOT[*]} }$*"
        return 0
    fi
    "${AS_ROOT[@]}" "$@"
}

# The package lists may be empty on a fresh image (containers ship without them), so update
# before asking apt-cache which LibreOffice flavour exists.
if [[ "${AS_ROOT[*]:-}" != NO_ROOT ]]; then
    what="${MISSING[*]:-}"
    [[ "$NEED_LIBREOFFICE" == 1 ]] && what="${what:+$what }LibreOffice Impress"
    [[ ${#NEED_CHROMIUM[@]} -gt 0 ]] && what="${what:+$what }${NEED_CHROMIUM[*]}"
    say "installing missing packages: $what"
    if ! run "${APT[@]}" update -qq; then
        say "apt-get update failed; to install by hand, run:"
        if [[ "$NEED_LIBREOFFICE" == 1 ]]; then
            show_command "${MISSING[@]}" "${LIBREOFFICE_CHOICES[0]}"
        else
            show_command "${MISSING[@]}"
        fi
        exit 1
    fi
fi

has_candidate() {
    local candidate
    candidate="$(apt-cache policy "$1" 2>/dev/null | sed -n 's/^ *Candidate: *//p')"
    [[ -n "$candidate" && "$candidate" != "(none)" ]]
}

if [[ "$NEED_LIBREOFFICE" == 1 ]]; then
    chosen="${LIBREOFFICE_CHOICES[-1]}"
    for pkg in "${LIBREOFFICE_CHOICES[@]}"; do
        if has_candidate "$pkg"; then chosen="$pkg"; break; fi
    done
    # Without package lists (no root to update them) nothing has a candidate: suggest -nogui.
    if [[ "${AS_ROOT[*]:-}" == NO_ROOT ]] && ! has_candidate "$chosen"; then
        chosen="${LIBREOFFICE_CHOICES[0]}"
    fi
    MISSING+=("$chosen")
fi

# Chromium only where the distribution has it as a package (Debian); elsewhere the
# browser test is skipped and says why.
for pkg in "${NEED_CHROMIUM[@]}"; do
    if has_candidate "$pkg" || [[ "${AS_ROOT[*]:-}" == NO_ROOT ]]; then
        MISSING+=("$pkg")
    else
        say "no package $pkg here: the preview's browser test will be skipped"
    fi
done

if [[ ${#MISSING[@]} -eq 0 ]]; then
    say "done"
    exit 0
fi

if [[ "${AS_ROOT[*]:-}" == NO_ROOT ]]; then
    say "missing packages: ${MISSING[*]}"
    say "not root, and sudo is not installed; as root (su -), run:"
    show_command "${MISSING[@]}"
    exit 1
fi

if ! run "${APT[@]}" install -y --no-install-recommends "${MISSING[@]}"; then
    say "apt-get install failed; to retry by hand, run:"
    show_command "${MISSING[@]}"
    exit 1
fi

if [[ "$DRY_RUN" != 1 && "$NEED_PYTHON" == 1 ]] && ! find_python >/dev/null; then
    version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)"
    say "installed python3 is $version; the toolkit needs Python >= $MIN_PY_MAJOR.$MIN_PY_MINOR with venv."
    say "Use Debian >= 12 or Ubuntu >= 22.04, or install a newer Python and run make with PYTHON=/path/to/python3."
    exit 1
fi
say "done"
