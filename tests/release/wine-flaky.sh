#!/bin/bash
# setup_scardssp.sh when a Wine program ends without having run, as one
# can on a busy machine (CI saw the user's winscard override lost once):
# the script is given a WINE and a WINE64 that end the first run of every
# command line at once, with no output and exit status 1, and runs the
# rest.  In a prefix with a winscard override of the user's:
#   1. install: every program that ended was run again, and the record is
#      the one a steady Wine gives in a copy of the same prefix;
#   2. install --no-bridge (the first runs ending anew): the user's
#      override is back;
#   3. uninstall (likewise): the prefix is as it was before install.
set -u -o pipefail
: "${top_builddir:?run through make check}" "${top_srcdir:?}"
name=wine-flaky
. "$top_srcdir/tests/release/prefix.sh"
fresh_prefix
unpack_bundle

# flaky NAME REAL: a loader that ends the first run of each command line
# (in its folder) and runs REAL for the others, noting each in $work/runs
flaky() {
    cat > "$work/$1" <<EOF
#!/bin/bash
key=\$(printf '%s\\n' "\$PWD" "\$@" | md5sum | cut -d ' ' -f 1)
if ! grep -q "^ended \$key " "$work/runs" 2>/dev/null; then echo "ended \$key \$*" >> "$work/runs"; exit 1; fi
echo "ran \$key \$*" >> "$work/runs"
exec "$2" "\$@"
EOF
    chmod +x "$work/$1"
}
flaky wine "${WINE:-wine}"
flaky wine64 "${WINE64:-/usr/lib/wine/wine64}"
# setup_scardssp.sh COMMAND [OPTION] with the flaky loaders, each run's
# first tries ending anew
flaky_setup() {
    rm -f "$work/runs"
    (cd "$work/user" && WINE=$work/wine WINE64=$work/wine64 "$setup" "$@" "$prefix" 2>&1)
}
steady_setup() { (cd "$work/user" && "$setup" "$@" 2>&1); }
# every command line that ended was run again (and some did end)
all_ran_again() { # WHAT
    local ended missing
    ended=$(grep -c '^ended ' "$work/runs" 2>/dev/null)
    missing=$(awk '$1 == "ended" { e[$2] = $0 } $1 == "ran" { delete e[$2] } END { for (k in e) print e[k] }' "$work/runs")
    [ "${ended:-0}" -gt 0 ] && [ -z "$missing" ]
    ok $? "$1: $ended programs ended without running; not run again:
$missing"
}

# the user's override
user_override builtin
snapshot before
has "$(cat "$work/before.user.reg")" '^"winscard"="builtin"$' "the user's override in user.reg"
cp -a "$prefix" "$work/steady"

# 1. install
out=$(flaky_setup install); ok $? "install failed: $out"
all_ran_again "install"
out=$(steady_setup install "$work/steady"); ok $? "install on a steady Wine failed: $out"
WINEPREFIX=$work/steady "${WINESERVER:-wineserver}" -k 2>/dev/null
[ "$(cat "$prefix/.scardssp/record")" = "$(cat "$work/steady/.scardssp/record")" ]
ok $? "the record: got
$(cat "$prefix/.scardssp/record")
a steady Wine's:
$(cat "$work/steady/.scardssp/record")"
out=$(steady_setup status "$prefix")
has "$out" "^winscard:  the bridge is selected where installed \(DllOverrides winscard=native,builtin\)" "status after install"
has "$out" "scardssp.dll: C:.windows.system32.scardssp.dll, version" "status after install, x64"
has "$out" "scardssp.dll: C:.windows.syswow64.scardssp.dll, version" "status after install, x32"

# 2. install --no-bridge
out=$(flaky_setup install --no-bridge); ok $? "install --no-bridge failed: $out"
all_ran_again "install --no-bridge"
out=$(steady_setup status "$prefix")
has "$out" "^winscard:  Wine's own \(DllOverrides winscard=builtin\)" "status after install --no-bridge"

# 3. uninstall
out=$(flaky_setup uninstall); ok $? "uninstall failed: $out"
all_ran_again "uninstall"
snapshot after
same_as before after "the prefix after install, install --no-bridge, uninstall"

summary
